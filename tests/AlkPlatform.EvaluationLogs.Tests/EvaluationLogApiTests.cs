using System.Text;
using System.Text.Json;
using AlkPlatform.Contracts.Ops.V1;
using AlkPlatform.Contracts.Recommendation.V1;
using AlkPlatform.Guidelines.Content;
using AlkPlatform.Guidelines.Releases;
using AlkPlatform.Recommendations.EvaluationLogs;
using AlkPlatform.Recommendations.Releases;
using AlkPlatform.Testing;
using Grpc.Core;
using Microsoft.Extensions.Time.Testing;
using CardSeverity = AlkPlatform.Guidelines.Content.CardSeverity;

namespace AlkPlatform.EvaluationLogs.Tests;

public sealed class EvaluationLogApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Query_PagesThroughEveryMatchingRecordOnce_NewestFirst_WithFilters()
    {
        await using var host = new RecommendationServiceHost();
        var expected = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            expected.Add((await host.Recommendations("app-a", LocalIdentityHost.EhrDemoApp).RecommendAsync(ReferencePatients.RelapsedRefractory70Kg, cancellationToken: Ct)).EvaluationId);
            await host.Recommendations("app-b", LocalIdentityHost.WardDemoApp).RecommendAsync(ReferencePatients.RelapsedRefractory70Kg, cancellationToken: Ct);
        }
        await Assert.ThrowsAsync<RpcException>(() => host.Recommendations("app-a", LocalIdentityHost.EhrDemoApp).RecommendAsync(ReferencePatients.RelapsedRefractory(weightKg: 0), cancellationToken: Ct).ResponseAsync);

        var seen = new List<string>();
        var token = "";
        var pages = 0;
        do
        {
            var page = await host.Ops().QueryEvaluationLogsAsync(new QueryEvaluationLogsRequest
            {
                Filter = new EvaluationLogFilter { Caller = LocalIdentityHost.EhrDemoAppId, StatusCode = 0, CardId = "rr-alectinib", Severity = Severity.Critical },
                PageSize = 3,
                PageToken = token,
            }, cancellationToken: Ct);
            seen.AddRange(page.Records.Select(r => r.EvaluationId));
            token = page.NextPageToken;
            pages++;
        }
        while (token.Length > 0);

        Assert.Equal(3, pages);
        Assert.Equal(Enumerable.Reverse(expected), seen);
        var errors = await host.Ops().QueryEvaluationLogsAsync(new QueryEvaluationLogsRequest { Filter = new EvaluationLogFilter { ErrorsOnly = true } }, cancellationToken: Ct);
        Assert.Equal((int)StatusCode.InvalidArgument, Assert.Single(errors.Records).StatusCode);
        // Failed calls have their own partial index (migration 0004); OK calls are found through the time index.
        var invalid = await host.Ops().QueryEvaluationLogsAsync(new QueryEvaluationLogsRequest { Filter = new EvaluationLogFilter { StatusCode = (int)StatusCode.InvalidArgument } }, cancellationToken: Ct);
        Assert.Equal(errors.Records.Select(r => r.EvaluationId), invalid.Records.Select(r => r.EvaluationId));
        var ok = await host.Ops().QueryEvaluationLogsAsync(new QueryEvaluationLogsRequest { Filter = new EvaluationLogFilter { StatusCode = 0 }, PageSize = 100 }, cancellationToken: Ct);
        Assert.Equal(14, ok.Records.Count);
        var none = await host.Ops().QueryEvaluationLogsAsync(new QueryEvaluationLogsRequest { Filter = new EvaluationLogFilter { MinLatencyUs = long.MaxValue } }, cancellationToken: Ct);
        Assert.Empty(none.Records);
    }

    [Fact]
    public async Task Aggregates_CountVolumeErrorsPercentilesAndBreakdowns()
    {
        await using var host = new RecommendationServiceHost();
        for (var i = 0; i < 6; i++)
        {
            await host.Recommendations("app-a", LocalIdentityHost.EhrDemoApp).RecommendAsync(ReferencePatients.RelapsedRefractory70Kg, cancellationToken: Ct);
        }
        for (var i = 0; i < 2; i++)
        {
            await Assert.ThrowsAsync<RpcException>(() => host.Recommendations("app-b", LocalIdentityHost.WardDemoApp).RecommendAsync(ReferencePatients.RelapsedRefractory(weightKg: -1), cancellationToken: Ct).ResponseAsync);
        }

        var aggregates = await host.Ops().GetEvaluationLogAggregatesAsync(new GetEvaluationLogAggregatesRequest(), cancellationToken: Ct);

        Assert.Equal(8, aggregates.Total);
        Assert.Equal(2, aggregates.ErrorCount);
        Assert.Equal(0.25, aggregates.ErrorRate, 6);
        Assert.Equal(8, aggregates.PerMinute.Sum(m => m.Count));
        Assert.Equal(2, aggregates.PerMinute.Sum(m => m.ErrorCount));
        Assert.True(aggregates.Latency.P50Us > 0);
        Assert.True(aggregates.Latency.P50Us <= aggregates.Latency.P95Us && aggregates.Latency.P95Us <= aggregates.Latency.P99Us && aggregates.Latency.P99Us <= aggregates.Latency.MaxUs);
        Assert.Equal([(LocalIdentityHost.EhrDemoAppId, "EHR demo app", 6L, 0L), (LocalIdentityHost.WardDemoAppId, "Ward demo app", 2L, 2L)],
            aggregates.ByCaller.Select(g => (g.Key, g.Label, g.Count, g.ErrorCount)));
        Assert.Equal(8, Assert.Single(aggregates.ByRelease).Count);
        Assert.Contains(aggregates.ByCard, g => g.Key == "avoid-rituximab" && g.Count == 6);

        var appB = await host.Ops().GetEvaluationLogAggregatesAsync(new GetEvaluationLogAggregatesRequest { Filter = new EvaluationLogFilter { Caller = LocalIdentityHost.WardDemoAppId } }, cancellationToken: Ct);
        Assert.Equal(2, appB.Total);
        Assert.Equal(1.0, appB.ErrorRate, 6);
        Assert.Empty(appB.ByCard);
    }

    [Fact]
    public async Task Export_Csv_HasAHeaderAndOneParsableLinePerRecord()
    {
        await using var host = new RecommendationServiceHost();
        var ids = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            ids.Add((await host.Recommendations().RecommendAsync(ReferencePatients.RelapsedRefractory(correlationId: "x,\"y\""), cancellationToken: Ct)).EvaluationId);
        }

        var text = await ExportAsync(host, ExportFormat.Csv);
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(EvaluationLogApi.CsvHeader, lines[0]);
        Assert.Equal(ids, lines.Skip(1).Select(l => l.Split(',')[0]));
        Assert.All(lines.Skip(1), l => Assert.Contains("avoid-rituximab", l, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Export_JsonLines_OldestFirst_EachLineAFullRecord()
    {
        await using var host = new RecommendationServiceHost();
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await host.Recommendations().RecommendAsync(ReferencePatients.RelapsedRefractory70Kg, cancellationToken: Ct)).EvaluationId);
        }

        var text = await ExportAsync(host, ExportFormat.JsonLines);
        var records = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l)).ToList();

        Assert.Equal(ids, records.Select(r => r.RootElement.GetProperty("evaluation_id").GetString()));
        Assert.All(records, r => Assert.Equal(70, r.RootElement.GetProperty("input").GetProperty("facts").GetProperty("weightKg").GetDouble()));
        Assert.All(records, r => Assert.Contains(r.RootElement.GetProperty("cards").EnumerateArray(), c => c.GetProperty("id").GetString() == "avoid-rituximab"));
    }

    [Fact]
    public async Task Replay_OnTheLoggedRelease_ReproducesExactly_AndAgainstTheLiveReleaseShowsWhatChanged()
    {
        await using var host = new RecommendationServiceHost();
        var answer = await host.Recommendations().RecommendAsync(ReferencePatients.RelapsedRefractory70Kg, cancellationToken: Ct);
        var seed = SeedGuideline.Load();
        var revised = seed with
        {
            VersionLabel = "test-revision-2",
            Rules = [.. seed.Rules.Select(r => r.Id == "R-PITFALL-RITUXIMAB" ? r with { Card = r.Card with { Severity = CardSeverity.Warning } } : r)],
        };
        var now = DateTimeOffset.UtcNow;
        var published = host.Get<ReleaseActivator>().ActivateUnsigned(Release.Cut(revised, 2, now, now, "test: revised by the replay test", []));
        Assert.NotEqual(answer.Release.ReleaseId, published.Release.ReleaseId);

        var replay = await host.Ops().ReplayEvaluationAsync(new ReplayEvaluationRequest { EvaluationId = answer.EvaluationId }, cancellationToken: Ct);

        Assert.True(replay.LoggedRelease.Identical);
        Assert.Equal(answer.Release.ReleaseId, replay.LoggedRelease.Outcome.ReleaseId);
        Assert.Equal(answer.Cards.Select(c => (c.Id, c.Kind, c.Severity)), replay.LoggedRelease.Outcome.Cards.Select(c => (c.CardId, c.Kind, c.Severity)));
        Assert.Equal(replay.Logged.Cards, replay.LoggedRelease.Outcome.Cards);
        Assert.Empty(replay.LoggedRelease.CardsChanged);

        Assert.False(replay.LiveRelease.Identical);
        Assert.Equal(published.Release.ReleaseId, replay.LiveRelease.Outcome.ReleaseId);
        var change = Assert.Single(replay.LiveRelease.CardsChanged);
        Assert.Equal("avoid-rituximab", change.CardId);
        Assert.Equal(["severity Critical -> Warning"], change.Differences);
        Assert.Empty(replay.LiveRelease.CardsAdded);
        Assert.Empty(replay.LiveRelease.CardsRemoved);
    }

    [Fact]
    public async Task OpsApi_WithoutATokenOrWithoutTheOpsRole_IsRefused_StreamsIncluded()
    {
        await using var host = new RecommendationServiceHost();
        var missing = await Assert.ThrowsAsync<RpcException>(() => host.Ops(app: null).QueryEvaluationLogsAsync(new QueryEvaluationLogsRequest(), cancellationToken: Ct).ResponseAsync);
        var clinical = await Assert.ThrowsAsync<RpcException>(() => host.Ops(app: LocalIdentityHost.EhrDemoApp).GetEvaluationLogAggregatesAsync(new GetEvaluationLogAggregatesRequest(), cancellationToken: Ct).ResponseAsync);
        using var export = host.Ops(app: LocalIdentityHost.NoRoleApp).ExportEvaluationLogs(new ExportEvaluationLogsRequest(), cancellationToken: Ct);
        var streamed = await Assert.ThrowsAsync<RpcException>(() => export.ResponseStream.MoveNext(Ct));

        Assert.Equal(StatusCode.Unauthenticated, missing.StatusCode);
        Assert.Equal(StatusCode.PermissionDenied, clinical.StatusCode);
        Assert.Equal(StatusCode.PermissionDenied, streamed.StatusCode);
    }

    [Fact]
    public async Task OpsApi_BadPageSizePageTokenOrTop_IsInvalidArgumentNamingTheField()
    {
        await using var host = new RecommendationServiceHost();
        var ops = host.Ops();

        var pageSize = await Assert.ThrowsAsync<RpcException>(() => ops.QueryEvaluationLogsAsync(
            new QueryEvaluationLogsRequest { PageSize = EvaluationLogQueries.MaxPageSize + 1 }, cancellationToken: Ct).ResponseAsync);
        var pageToken = await Assert.ThrowsAsync<RpcException>(() => ops.QueryEvaluationLogsAsync(
            new QueryEvaluationLogsRequest { PageToken = "not-a-token" }, cancellationToken: Ct).ResponseAsync);
        var top = await Assert.ThrowsAsync<RpcException>(() => ops.GetEvaluationLogAggregatesAsync(
            new GetEvaluationLogAggregatesRequest { Top = 101 }, cancellationToken: Ct).ResponseAsync);

        Assert.Equal("page_size", InvalidField(pageSize));
        Assert.Equal("page_token", InvalidField(pageToken));
        Assert.Equal("top", InvalidField(top));
    }

    /// <summary>The one field an InvalidArgument refusal names in its google.rpc.BadRequest.</summary>
    private static string InvalidField(RpcException error)
    {
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        return Assert.Single(error.GetRpcStatus()!.GetDetail<Google.Rpc.BadRequest>()!.FieldViolations).Field;
    }

    private static async Task<string> ExportAsync(RecommendationServiceHost host, ExportFormat format)
    {
        using var call = host.Ops().ExportEvaluationLogs(new ExportEvaluationLogsRequest { Format = format }, cancellationToken: Ct);
        var text = new StringBuilder();
        while (await call.ResponseStream.MoveNext(Ct))
        {
            text.Append(call.ResponseStream.Current.Chunk);
        }
        return text.ToString();
    }
}
