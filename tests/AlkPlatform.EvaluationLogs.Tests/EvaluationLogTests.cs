using System.Text;
using System.Text.Json;
using AlkPlatform.Contracts.Ops.V1;
using AlkPlatform.Contracts.Recommendation.V1;
using AlkPlatform.Guidelines.Content;
using AlkPlatform.Guidelines.Releases;
using AlkPlatform.Recommendations.EvaluationLogs;
using AlkPlatform.Recommendations.Releases;
using AlkPlatform.Testing;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using CardSeverity = AlkPlatform.Guidelines.Content.CardSeverity;

namespace AlkPlatform.EvaluationLogs.Tests;

public sealed class EvaluationLogTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Recommend_Answered_IsOnRecordWithCallerReleaseInputOutputAndTrace()
    {
        await using var host = new RecommendationServiceHost();
        var traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        var headers = new Metadata { { "traceparent", $"00-{traceId}-00f067aa0ba902b7-01" } };
        var answer = await host.Recommendations("oncology-app").RecommendAsync(ReferencePatients.RelapsedRefractory70Kg, headers, cancellationToken: Ct);

        var record = (await host.Ops().GetEvaluationLogAsync(new GetEvaluationLogRequest { EvaluationId = answer.EvaluationId }, cancellationToken: Ct)).Record;

        Assert.Equal(Contracts.Ops.V1.EvaluationMethod.Recommend, record.Method);
        Assert.Equal("oncology-app", record.Caller);
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
    public async Task Retention_DeletesRecordsOlderThanTheAge_InBatches_AndKeepsNewerOnes()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = new RecommendationServiceHost(new Dictionary<string, string>
        {
            ["EvaluationLogs:RetentionAge"] = "30.00:00:00",
            ["EvaluationLogs:RetentionBatchSize"] = "2",
        }, clock);
        var client = host.Recommendations();
        var old = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            old.Add((await client.RecommendAsync(ReferencePatients.RelapsedRefractory70Kg, cancellationToken: Ct)).EvaluationId);
        }
        clock.Advance(TimeSpan.FromDays(31));
        var recent = (await client.RecommendAsync(ReferencePatients.RelapsedRefractory70Kg, cancellationToken: Ct)).EvaluationId;

        var deleted = await host.Get<EvaluationLogRetentionService>().PurgeExpiredAsync(Ct);

        Assert.Equal(5, deleted);
        foreach (var id in old)
        {
            var gone = await Assert.ThrowsAsync<RpcException>(() => host.Ops().GetEvaluationLogAsync(new GetEvaluationLogRequest { EvaluationId = id }, cancellationToken: Ct).ResponseAsync);
            Assert.Equal(StatusCode.NotFound, gone.StatusCode);
        }
        var kept = await host.Ops().GetEvaluationLogAsync(new GetEvaluationLogRequest { EvaluationId = recent }, cancellationToken: Ct);
        Assert.Equal(recent, kept.Record.EvaluationId);
        var byCard = await host.Ops().QueryEvaluationLogsAsync(new QueryEvaluationLogsRequest { Filter = new EvaluationLogFilter { CardId = "avoid-rituximab" } }, cancellationToken: Ct);
        Assert.Equal([recent], byCard.Records.Select(r => r.EvaluationId));
    }

    [Fact]
    public async Task Query_PagesThroughEveryMatchingRecordOnce_NewestFirst_WithFilters()
    {
        await using var host = new RecommendationServiceHost();
        var expected = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            expected.Add((await host.Recommendations("app-a").RecommendAsync(ReferencePatients.RelapsedRefractory70Kg, cancellationToken: Ct)).EvaluationId);
            await host.Recommendations("app-b").RecommendAsync(ReferencePatients.RelapsedRefractory70Kg, cancellationToken: Ct);
        }
        await Assert.ThrowsAsync<RpcException>(() => host.Recommendations("app-a").RecommendAsync(ReferencePatients.RelapsedRefractory(weightKg: 0), cancellationToken: Ct).ResponseAsync);

        var seen = new List<string>();
        var token = "";
        var pages = 0;
        do
        {
            var page = await host.Ops().QueryEvaluationLogsAsync(new QueryEvaluationLogsRequest
            {
                Filter = new EvaluationLogFilter { Caller = "app-a", StatusCode = 0, CardId = "rr-alectinib", Severity = Severity.Critical },
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
            await host.Recommendations("app-a").RecommendAsync(ReferencePatients.RelapsedRefractory70Kg, cancellationToken: Ct);
        }
        for (var i = 0; i < 2; i++)
        {
            await Assert.ThrowsAsync<RpcException>(() => host.Recommendations("app-b").RecommendAsync(ReferencePatients.RelapsedRefractory(weightKg: -1), cancellationToken: Ct).ResponseAsync);
        }

        var aggregates = await host.Ops().GetEvaluationLogAggregatesAsync(new GetEvaluationLogAggregatesRequest(), cancellationToken: Ct);

        Assert.Equal(8, aggregates.Total);
        Assert.Equal(2, aggregates.ErrorCount);
        Assert.Equal(0.25, aggregates.ErrorRate, 6);
        Assert.Equal(8, aggregates.PerMinute.Sum(m => m.Count));
        Assert.Equal(2, aggregates.PerMinute.Sum(m => m.ErrorCount));
        Assert.True(aggregates.Latency.P50Us > 0);
        Assert.True(aggregates.Latency.P50Us <= aggregates.Latency.P95Us && aggregates.Latency.P95Us <= aggregates.Latency.P99Us && aggregates.Latency.P99Us <= aggregates.Latency.MaxUs);
        Assert.Equal([("app-a", 6L, 0L), ("app-b", 2L, 2L)], aggregates.ByCaller.Select(g => (g.Key, g.Count, g.ErrorCount)));
        Assert.Equal(8, Assert.Single(aggregates.ByRelease).Count);
        Assert.Contains(aggregates.ByCard, g => g.Key == "avoid-rituximab" && g.Count == 6);

        var appB = await host.Ops().GetEvaluationLogAggregatesAsync(new GetEvaluationLogAggregatesRequest { Filter = new EvaluationLogFilter { Caller = "app-b" } }, cancellationToken: Ct);
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
    public async Task Feedback_IsCountedPerRuleAndRelease_WithOverrideRatesAndReasons_CommentMasked()
    {
        await using var host = new RecommendationServiceHost();
        var client = host.Recommendations();
        var feedback = host.Feedback();
        var outcomes = new[] { FeedbackOutcome.Accepted, FeedbackOutcome.Overridden, FeedbackOutcome.Overridden, FeedbackOutcome.Accepted };
        string releaseId = "";
        foreach (var outcome in outcomes)
        {
            var answer = await client.RecommendAsync(ReferencePatients.RelapsedRefractory70Kg, cancellationToken: Ct);
            releaseId = answer.Release.ReleaseId;
            var submitted = await feedback.SubmitFeedbackAsync(new SubmitFeedbackRequest
            {
                EvaluationId = answer.EvaluationId,
                CardId = "rr-alectinib",
                Outcome = outcome,
                OverrideReasonCode = outcome == FeedbackOutcome.Overridden ? "patient-preference" : "",
                Comment = "Patient John Doe prefers otherwise",
            }, cancellationToken: Ct);
            Assert.Equal(["R-RR-ALECTINIB"], submitted.RuleIds);
        }

        var summary = await host.Ops().GetFeedbackSummaryAsync(new GetFeedbackSummaryRequest { ReleaseId = releaseId }, cancellationToken: Ct);

        var rule = Assert.Single(summary.ByRule);
        Assert.Equal(("R-RR-ALECTINIB", releaseId, 2L, 2L, 0.5), (rule.RuleId, rule.ReleaseId, rule.Accepted, rule.Overridden, rule.OverrideRate));
        Assert.Equal(("patient-preference", 2L), (summary.OverrideReasons[0].ReasonCode, summary.OverrideReasons[0].Count));
        await using var connection = new SqliteConnection($"Data Source={host.DatabasePath}");
        await connection.OpenAsync(Ct);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM card_feedback WHERE comment LIKE '%John%'";
        Assert.Equal(0L, (long)(await command.ExecuteScalarAsync(Ct))!);
    }

    [Fact]
    public async Task Feedback_OnACardTheEvaluationDidNotReturn_IsRejected()
    {
        await using var host = new RecommendationServiceHost();
        var answer = await host.Recommendations().RecommendAsync(ReferencePatients.RelapsedRefractory70Kg, cancellationToken: Ct);

        var wrongCard = await Assert.ThrowsAsync<RpcException>(() => host.Feedback().SubmitFeedbackAsync(new SubmitFeedbackRequest
        {
            EvaluationId = answer.EvaluationId, CardId = "frontline-chemo", Outcome = FeedbackOutcome.Accepted,
        }, cancellationToken: Ct).ResponseAsync);
        var noReason = await Assert.ThrowsAsync<RpcException>(() => host.Feedback().SubmitFeedbackAsync(new SubmitFeedbackRequest
        {
            EvaluationId = answer.EvaluationId, CardId = "rr-alectinib", Outcome = FeedbackOutcome.Overridden,
        }, cancellationToken: Ct).ResponseAsync);
        var unknown = await Assert.ThrowsAsync<RpcException>(() => host.Feedback().SubmitFeedbackAsync(new SubmitFeedbackRequest
        {
            EvaluationId = Guid.CreateVersion7().ToString(), CardId = "rr-alectinib", Outcome = FeedbackOutcome.Accepted,
        }, cancellationToken: Ct).ResponseAsync);

        Assert.Equal("card_id", InvalidField(wrongCard));
        Assert.Equal("override_reason_code", InvalidField(noReason));
        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);
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

    [Fact]
    public async Task Checkpointing_RunsOffTheWriter_AndShutdownLeavesEveryRecordInTheDatabaseFileWithAnEmptyWal()
    {
        await using var host = new RecommendationServiceHost();
        var client = host.Recommendations();
        var ids = new List<string>();
        foreach (var batch in Enumerable.Range(0, 4))
        {
            var calls = Enumerable.Range(0, 25).Select(_ => client.RecommendAsync(ReferencePatients.RelapsedRefractory70Kg, cancellationToken: Ct).ResponseAsync);
            ids.AddRange((await Task.WhenAll(calls)).Select(a => a.EvaluationId));
        }
        var writer = host.Get<GroupCommitLogWriter>();

        await writer.StopAsync(Ct);

        // The writer's connection never checkpoints; the background checkpointer's final TRUNCATE moved everything over.
        var wal = new FileInfo(host.DatabasePath + "-wal");
        Assert.True(!wal.Exists || wal.Length == 0, $"WAL still holds {wal.Length} bytes after shutdown");
        await using var check = new SqliteConnection($"Data Source={host.DatabasePath};Pooling=False");
        await check.OpenAsync(Ct);
        using var command = check.CreateCommand();
        command.CommandText = "PRAGMA integrity_check;";
        Assert.Equal("ok", (string?)await command.ExecuteScalarAsync(Ct));
        command.CommandText = $"SELECT count(*) FROM evaluation_logs WHERE evaluation_id IN ({string.Join(',', ids.Select(id => $"'{id}'"))});";
        Assert.Equal(ids.Count, Convert.ToInt32(await command.ExecuteScalarAsync(Ct), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task OpsApi_WithoutOrWithAWrongKey_IsRefused()
    {
        await using var host = new RecommendationServiceHost();
        var missing = await Assert.ThrowsAsync<RpcException>(() => host.Ops(key: null).QueryEvaluationLogsAsync(new QueryEvaluationLogsRequest(), cancellationToken: Ct).ResponseAsync);
        var wrong = await Assert.ThrowsAsync<RpcException>(() => host.Ops(key: "guess").GetEvaluationLogAggregatesAsync(new GetEvaluationLogAggregatesRequest(), cancellationToken: Ct).ResponseAsync);
        using var export = host.Ops(key: "guess").ExportEvaluationLogs(new ExportEvaluationLogsRequest(), cancellationToken: Ct);
        var streamed = await Assert.ThrowsAsync<RpcException>(() => export.ResponseStream.MoveNext(Ct));

        Assert.Equal(StatusCode.Unauthenticated, missing.StatusCode);
        Assert.Equal(StatusCode.Unauthenticated, wrong.StatusCode);
        Assert.Equal(StatusCode.Unauthenticated, streamed.StatusCode);
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

    private static async Task<byte[]> ReadSharedAsync(string path)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, Ct);
        return buffer.ToArray();
    }
}
