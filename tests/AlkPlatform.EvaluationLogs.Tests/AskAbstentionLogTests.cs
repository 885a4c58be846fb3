using AlkPlatform.Contracts.Ops.V1;
using AlkPlatform.Contracts.Recommendation.V1;
using AlkPlatform.Recommendations.EvaluationLogs;
using AlkPlatform.Testing;
using Dapper;
using Grpc.Core;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace AlkPlatform.EvaluationLogs.Tests;

/// <summary>Ask's abstentions on record for the board: by reason, the unknown terms it named and what it could not combine, masked as configured.</summary>
public sealed class AskAbstentionLogTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly Dictionary<string, string> KeepQuestionsAndTerms = new()
    {
        ["EvaluationLogs:Masking:question"] = "Keep",
        ["EvaluationLogs:Masking:unknown_terms"] = "Keep",
    };

    [Fact]
    public async Task Abstentions_WithTermsKept_AreListedMostFrequentFirstWithExampleQuestions()
    {
        await using var host = new RecommendationServiceHost(KeepQuestionsAndTerms);
        var ask = host.Recommendations("ward-app");
        await ask.AskAsync(new AskRequest { Question = "What dose of alectinib?" }, cancellationToken: Ct);
        var first = await ask.AskAsync(new AskRequest { Question = "What dose of glofitamab is recommended?" }, cancellationToken: Ct);
        var second = await ask.AskAsync(new AskRequest { Question = "Is Glofitamab better than warfarin?" }, cancellationToken: Ct);
        var combination = await ask.AskAsync(new AskRequest { Question = "What is the dose of lenalidomide?" }, cancellationToken: Ct);
        await ask.AskAsync(new AskRequest { Question = "What dose of alectinib for a child?" }, cancellationToken: Ct);

        var summary = await host.Ops().GetAskAbstentionsAsync(new GetAskAbstentionsRequest(), cancellationToken: Ct);

        Assert.Equal(5, summary.Asks);
        Assert.Equal(4, summary.Abstentions);
        Assert.Equal([(AskAbstention.UnknownTerms, 2L), (AskAbstention.QualifierNotCovered, 1L), (AskAbstention.CombinationNotCovered, 1L)],
            summary.ByReason.Select(r => (r.Reason, r.Count)));
        Assert.Equal([("glofitamab", 2L), ("warfarin", 1L)], summary.UnknownTerms.Select(t => (t.Key, t.Count)));
        var glofitamab = summary.UnknownTerms[0];
        Assert.Equal([second.EvaluationId, first.EvaluationId], glofitamab.Examples.Select(e => e.EvaluationId));
        Assert.Equal(["Is Glofitamab better than warfarin?", "What dose of glofitamab is recommended?"], glofitamab.Examples.Select(e => e.Question));
        Assert.Equal(first.Release.ReleaseId, glofitamab.Examples[1].ReleaseId);
        Assert.Equal([("child", 1L), ("dose + lenalidomide", 1L)], summary.Uncovered.Select(u => (u.Key, u.Count)));
        Assert.Equal(combination.EvaluationId, summary.Uncovered.Single(u => u.Key == "dose + lenalidomide").Examples.Single().EvaluationId);
    }

    [Fact]
    public async Task Abstentions_ByDefault_KeepTermsAndQuestionsMasked()
    {
        await using var host = new RecommendationServiceHost();
        var refused = await host.Recommendations().AskAsync(new AskRequest { Question = "Can Mr Zebedee take alectinib?" }, cancellationToken: Ct);
        Assert.Equal(["Mr Zebedee"], refused.UnknownTerms);

        var summary = await host.Ops().GetAskAbstentionsAsync(new GetAskAbstentionsRequest(), cancellationToken: Ct);
        var record = await host.Ops().GetEvaluationLogAsync(new GetEvaluationLogRequest { EvaluationId = refused.EvaluationId }, cancellationToken: Ct);

        var masked = Assert.Single(summary.UnknownTerms);
        Assert.Equal((EvaluationLogOptions.RedactedValue, 1L), (masked.Key, masked.Count));
        Assert.Equal(EvaluationLogOptions.RedactedValue, masked.Examples.Single().Question);
        Assert.Contains("unknown_terms:redact", record.Record.MaskedFields);
        Assert.Contains("question:redact", record.Record.MaskedFields);
        // Nowhere in the service's database: the caller typed what could be a patient's name.
        using var connection = new SqliteConnection($"Data Source={host.DatabasePath};Mode=ReadOnly;Pooling=False");
        Assert.Equal(0, connection.ExecuteScalar<long>(
            "SELECT (SELECT count(*) FROM evaluation_logs WHERE input_json LIKE '%Zebedee%') + (SELECT count(*) FROM evaluation_unknown_terms WHERE term LIKE '%zebedee%')"));
    }

    [Fact]
    public async Task Abstentions_Erased_AreCountedWithoutTheirTerms()
    {
        await using var host = new RecommendationServiceHost(new Dictionary<string, string> { ["EvaluationLogs:Masking:unknown_terms"] = "Erase" });
        await host.Recommendations().AskAsync(new AskRequest { Question = "What dose of glofitamab?" }, cancellationToken: Ct);

        var summary = await host.Ops().GetAskAbstentionsAsync(new GetAskAbstentionsRequest(), cancellationToken: Ct);

        Assert.Equal(1, summary.Abstentions);
        Assert.Empty(summary.UnknownTerms);
    }

    [Fact]
    public async Task Abstentions_OlderThanTheRetentionAge_AreDeletedWithTheirRecords()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var settings = new Dictionary<string, string>(KeepQuestionsAndTerms) { ["EvaluationLogs:RetentionAge"] = "30.00:00:00" };
        await using var host = new RecommendationServiceHost(settings, clock);
        await host.Recommendations().AskAsync(new AskRequest { Question = "What dose of glofitamab?" }, cancellationToken: Ct);
        clock.Advance(TimeSpan.FromDays(31));
        await host.Recommendations().AskAsync(new AskRequest { Question = "Is warfarin safe?" }, cancellationToken: Ct);

        await host.Get<EvaluationLogRetentionService>().PurgeExpiredAsync(Ct);
        var summary = await host.Ops().GetAskAbstentionsAsync(new GetAskAbstentionsRequest(), cancellationToken: Ct);

        Assert.Equal(1, summary.Abstentions);
        Assert.Equal(["warfarin"], summary.UnknownTerms.Select(t => t.Key));
    }

    [Fact]
    public async Task GetAskAbstentions_WithoutAnOpsToken_IsRefusedLikeEveryOpsCall()
    {
        await using var host = new RecommendationServiceHost();

        var missing = await Assert.ThrowsAsync<RpcException>(() => host.Ops(app: null).GetAskAbstentionsAsync(new GetAskAbstentionsRequest(), cancellationToken: Ct).ResponseAsync);
        var clinical = await Assert.ThrowsAsync<RpcException>(() => host.Ops(app: LocalIdentityHost.EhrDemoApp).GetAskAbstentionsAsync(new GetAskAbstentionsRequest(), cancellationToken: Ct).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, missing.StatusCode);
        Assert.Equal(StatusCode.PermissionDenied, clinical.StatusCode);
    }

    [Theory]
    [InlineData(101, 0, "top")]
    [InlineData(0, 11, "examples")]
    public async Task GetAskAbstentions_OutOfRangeSizes_AreInvalidArgumentNamingTheField(int top, int examples, string field)
    {
        await using var host = new RecommendationServiceHost();

        var error = await Assert.ThrowsAsync<RpcException>(() => host.Ops().GetAskAbstentionsAsync(new GetAskAbstentionsRequest { Top = top, Examples = examples }, cancellationToken: Ct).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains(field, error.Status.Detail, StringComparison.Ordinal);
    }
}
