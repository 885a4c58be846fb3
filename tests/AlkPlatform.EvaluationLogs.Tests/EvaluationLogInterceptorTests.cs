using System.Text;
using System.Text.Json;
using AlkPlatform.Contracts.Ops.V1;
using AlkPlatform.Contracts.Recommendation.V1;
using AlkPlatform.Guidelines.Releases;
using AlkPlatform.Recommendations.EvaluationLogs;
using AlkPlatform.Testing;
using Grpc.Core;
using Microsoft.Data.Sqlite;
using CardSeverity = AlkPlatform.Guidelines.Content.CardSeverity;

namespace AlkPlatform.EvaluationLogs.Tests;

public sealed class EvaluationLogInterceptorTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Recommend_Answered_IsOnRecordWithVerifiedCallerClaimedLabelReleaseInputOutputAndTrace()
    {
        await using var host = new RecommendationServiceHost();
        var traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        var headers = new Metadata { { "traceparent", $"00-{traceId}-00f067aa0ba902b7-01" } };
        var answer = await host.Recommendations("oncology-app").RecommendAsync(ReferencePatients.RelapsedRefractory70Kg, headers, cancellationToken: Ct);

        var record = (await host.Ops().GetEvaluationLogAsync(new GetEvaluationLogRequest { EvaluationId = answer.EvaluationId }, cancellationToken: Ct)).Record;

        Assert.Equal(Contracts.Ops.V1.EvaluationMethod.Recommend, record.Method);
        Assert.Equal((LocalIdentityHost.EhrDemoAppId, "EHR demo app", "oncology-app"), (record.Caller, record.CallerName, record.ClaimedCaller));
        Assert.Equal("/alk.recommendation.v1.RecommendationService/Recommend", record.Rpc);
        Assert.Equal(answer.Release.ReleaseId, record.ReleaseId);
        Assert.Equal(answer.Release.ContentHash, record.ContentHash);
        Assert.Equal(answer.Release.RevisionNumber, record.RevisionNumber);
        Assert.Equal(Audience.Clinician, record.Audience);
        Assert.Equal(0, record.StatusCode);
        Assert.Equal(traceId, record.TraceId);
        Assert.Equal(answer.Cards.Select(c => (c.Id, c.Kind, c.Severity)), record.Cards.Select(c => (c.CardId, c.Kind, c.Severity)));
        Assert.Equal(answer.Explanation.Select(e => e.RuleId), record.RulesFired);
        Assert.Equal(answer.MissingFacts.Select(m => m.Fact), record.MissingFacts);
        using var input = JsonDocument.Parse(record.InputJson);
        Assert.Equal(70, input.RootElement.GetProperty("facts").GetProperty("weightKg").GetDouble());
        Assert.Equal("LINE_OF_THERAPY_RELAPSED_REFRACTORY", input.RootElement.GetProperty("facts").GetProperty("lineOfTherapy").GetString());
    }

    [Fact]
    public async Task AskAndGetGuideline_Answered_AreOnRecord()
    {
        await using var host = new RecommendationServiceHost();
        var client = host.Recommendations();
        var ask = await client.AskAsync(new AskRequest { Question = "What dose of alectinib?" }, cancellationToken: Ct);
        var page = await client.GetGuidelineAsync(new GetGuidelineRequest(), cancellationToken: Ct);

        var asked = (await host.Ops().GetEvaluationLogAsync(new GetEvaluationLogRequest { EvaluationId = ask.EvaluationId }, cancellationToken: Ct)).Record;
        var read = (await host.Ops().GetEvaluationLogAsync(new GetEvaluationLogRequest { EvaluationId = page.EvaluationId }, cancellationToken: Ct)).Record;

        Assert.Equal(Contracts.Ops.V1.EvaluationMethod.Ask, asked.Method);
        Assert.Equal(ask.Hits.Select(h => "statement:" + h.StatementId), asked.Cards.Select(c => c.CardId));
        Assert.Equal(Contracts.Ops.V1.EvaluationMethod.GetGuideline, read.Method);
        Assert.Equal(page.Release.ReleaseId, read.ReleaseId);
    }

    [Fact]
    public async Task InvalidCall_IsOnRecordWithItsStatus_AndTheCallerGetsItsEvaluationId()
    {
        await using var host = new RecommendationServiceHost();
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            host.Recommendations().RecommendAsync(ReferencePatients.RelapsedRefractory(weightKg: -5), cancellationToken: Ct).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        var evaluationId = error.Trailers.GetValue("x-evaluation-id");
        Assert.NotNull(evaluationId);

        var record = (await host.Ops().GetEvaluationLogAsync(new GetEvaluationLogRequest { EvaluationId = evaluationId }, cancellationToken: Ct)).Record;

        Assert.Equal((int)StatusCode.InvalidArgument, record.StatusCode);
        Assert.Contains("weight_kg", record.StatusMessage, StringComparison.Ordinal);
        Assert.Empty(record.Cards);
        Assert.Equal("alk-lbcl", record.GuidelineId);
    }

    [Fact]
    public async Task Masking_CorrelationIdByDefault_IsRedactedAndNeverReachesTheDatabaseFiles()
    {
        await using var host = new RecommendationServiceHost();
        var answer = await host.Recommendations().RecommendAsync(ReferencePatients.RelapsedRefractory(correlationId: "MRN-998877-Smith"), cancellationToken: Ct);

        var record = (await host.Ops().GetEvaluationLogAsync(new GetEvaluationLogRequest { EvaluationId = answer.EvaluationId }, cancellationToken: Ct)).Record;

        Assert.Contains("correlation_id:redact", record.MaskedFields);
        Assert.DoesNotContain("998877", record.InputJson, StringComparison.Ordinal);
        Assert.Contains(EvaluationLogOptions.RedactedValue, record.InputJson, StringComparison.Ordinal);
        Assert.True(File.Exists(host.DatabasePath));
        foreach (var file in Directory.GetFiles(host.DataDirectory))
        {
            var bytes = await ReadSharedAsync(file);
            Assert.DoesNotContain("998877", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Masking_ConfiguredFields_AreErasedOrKeptAsConfigured_AndTheRecordNotesWhat()
    {
        await using var host = new RecommendationServiceHost(new Dictionary<string, string>
        {
            ["EvaluationLogs:Masking:facts.age_years"] = "Erase",
            ["EvaluationLogs:Masking:question"] = "Keep",
        });
        var request = ReferencePatients.RelapsedRefractory70Kg;
        request.Facts.AgeYears = 67;
        var answer = await host.Recommendations().RecommendAsync(request, cancellationToken: Ct);
        var ask = await host.Recommendations().AskAsync(new AskRequest { Question = "Is crizotinib safe with CNS disease?" }, cancellationToken: Ct);

        var recommended = (await host.Ops().GetEvaluationLogAsync(new GetEvaluationLogRequest { EvaluationId = answer.EvaluationId }, cancellationToken: Ct)).Record;
        var asked = (await host.Ops().GetEvaluationLogAsync(new GetEvaluationLogRequest { EvaluationId = ask.EvaluationId }, cancellationToken: Ct)).Record;

        Assert.Equal(["facts.age_years:erase"], recommended.MaskedFields);
        using var input = JsonDocument.Parse(recommended.InputJson);
        Assert.False(input.RootElement.GetProperty("facts").TryGetProperty("ageYears", out _));
        Assert.True(input.RootElement.GetProperty("facts").TryGetProperty("weightKg", out _));
        Assert.Empty(asked.MaskedFields);
        Assert.Contains("Is crizotinib safe with CNS disease?", asked.InputJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Overload_WhenTheWriterCannotKeepUp_CallsAreRefusedWithResourceExhausted_AndEveryAnswerIsOnRecord()
    {
        await using var host = new RecommendationServiceHost(new Dictionary<string, string>
        {
            ["EvaluationLogs:QueueCapacity"] = "1",
            ["EvaluationLogs:MaxBatchSize"] = "1",
        });
        var client = host.Recommendations();
        await client.RecommendAsync(ReferencePatients.RelapsedRefractory70Kg, cancellationToken: Ct);

        // Another connection holds the write lock, so the writer stalls on its next commit.
        await using var blocker = new SqliteConnection($"Data Source={host.DatabasePath}");
        await blocker.OpenAsync(Ct);
        using (var begin = blocker.CreateCommand())
        {
            begin.CommandText = "BEGIN IMMEDIATE;";
            await begin.ExecuteNonQueryAsync(Ct);
        }
        var calls = Enumerable.Range(0, 20).Select(_ => client.RecommendAsync(ReferencePatients.RelapsedRefractory70Kg, cancellationToken: Ct).ResponseAsync).ToList();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (calls.Count(c => c.IsFaulted) < 18 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20, Ct);
        }
        Assert.DoesNotContain(calls, c => c.IsCompletedSuccessfully);
        using (var rollback = blocker.CreateCommand())
        {
            rollback.CommandText = "ROLLBACK;";
            await rollback.ExecuteNonQueryAsync(Ct);
        }

        var answered = new List<string>();
        var refused = 0;
        foreach (var call in calls)
        {
            try
            {
                answered.Add((await call).EvaluationId);
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.ResourceExhausted)
            {
                refused++;
            }
        }
        Assert.True(refused >= 18, $"expected at least 18 refusals, got {refused}");
        Assert.Equal(20, refused + answered.Count);
        foreach (var id in answered)
        {
            var record = await host.Ops().GetEvaluationLogAsync(new GetEvaluationLogRequest { EvaluationId = id }, cancellationToken: Ct);
            Assert.Equal(id, record.Record.EvaluationId);
        }
    }

    [Fact]
    public async Task Shutdown_DrainsQueuedRecordsBeforeStopping_AndLaterCallsAreRefusedNotAnsweredUnlogged()
    {
        await using var host = new RecommendationServiceHost();
        var client = host.Recommendations();
        await client.RecommendAsync(ReferencePatients.RelapsedRefractory70Kg, cancellationToken: Ct);
        await using var blocker = new SqliteConnection($"Data Source={host.DatabasePath}");
        await blocker.OpenAsync(Ct);
        using (var begin = blocker.CreateCommand())
        {
            begin.CommandText = "BEGIN IMMEDIATE;";
            await begin.ExecuteNonQueryAsync(Ct);
        }
        var writer = host.Get<GroupCommitLogWriter>();
        // The writer takes what is queued into one batch and blocks on the lock; calls made after that wait in the queue.
        var queued = new List<Task<RecommendResponse>>();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (writer.QueueDepth == 0 && queued.Count < 200 && DateTime.UtcNow < deadline)
        {
            queued.Add(client.RecommendAsync(ReferencePatients.RelapsedRefractory70Kg, cancellationToken: Ct).ResponseAsync);
            await Task.Delay(10, Ct);
        }
        Assert.True(writer.QueueDepth > 0);

        // The host stops the writer after Kestrel has drained; here the writer is stopped while records still wait.
        var stopping = writer.StopAsync(Ct);
        var late = await Assert.ThrowsAsync<RpcException>(() => client.RecommendAsync(ReferencePatients.RelapsedRefractory70Kg, cancellationToken: Ct).ResponseAsync);
        using (var rollback = blocker.CreateCommand())
        {
            rollback.CommandText = "ROLLBACK;";
            await rollback.ExecuteNonQueryAsync(Ct);
        }
        await stopping;

        Assert.Equal(StatusCode.Unavailable, late.StatusCode);
        var answered = 0;
        foreach (var call in queued)
        {
            try
            {
                var id = (await call).EvaluationId;
                var record = await host.Ops().GetEvaluationLogAsync(new GetEvaluationLogRequest { EvaluationId = id }, cancellationToken: Ct);
                Assert.Equal(id, record.Record.EvaluationId);
                answered++;
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.Unavailable)
            {
                // Reached the writer only after shutdown began: refused, never answered unlogged.
            }
        }
        // At least one record was seen waiting in the queue when shutdown began; draining committed it and released its answer.
        Assert.True(answered >= 1, $"expected the queued records to be drained, {answered} answered");
    }

    private static async Task<byte[]> ReadSharedAsync(string path)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, Ct);
        return buffer.ToArray();
    }
}
