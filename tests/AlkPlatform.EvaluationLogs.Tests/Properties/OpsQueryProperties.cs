using System.Text.Json;
using AlkPlatform.Contracts.Ops.V1;
using AlkPlatform.Contracts.Recommendation.V1;
using AlkPlatform.Testing;
using AlkPlatform.Testing.Generators;
using AlkPlatform.Testing.Properties;
using Grpc.Core;
using Microsoft.Extensions.Time.Testing;

namespace AlkPlatform.EvaluationLogs.Tests.Properties;

/// <summary>
/// Generated ops queries against a log of answered and refused calls from two apps over half an hour: each is answered
/// with exactly the matching records (in order, within the page size) or refused naming every broken field, never a
/// fault; the log is unchanged afterwards and the service still answers.
/// </summary>
[Trait(PropertyRuns.Trait, PropertyRuns.Category)]
public sealed class OpsQueryProperties : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private readonly RecommendationServiceHost _service;
    private LoggedValues _logged = null!;
    private List<EvaluationLogRecord> _all = null!;

    public OpsQueryProperties() => _service = new RecommendationServiceHost(clock: _clock);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private OpsRequests Requests => new(_logged);

    public async ValueTask InitializeAsync()
    {
        var appA = _service.Recommendations("app-a");
        var appB = _service.Recommendations("app-b");
        var first = _clock.GetUtcNow();
        async Task Call(Func<Task> call)
        {
            try
            {
                await call();
            }
            catch (RpcException)
            {
                // Refused calls are on record too; the log should hold both.
            }
            _clock.Advance(TimeSpan.FromSeconds(97));
        }
        var answered = new List<RecommendResponse>();
        foreach (var request in new[] { ReferencePatients.RelapsedRefractory70Kg, ReferencePatients.RelapsedRefractoryWithCns(30), ReferencePatients.Frontline(), ReferencePatients.RelapsedRefractory(20) })
        {
            await Call(async () => answered.Add(await appA.RecommendAsync(request, cancellationToken: Ct)));
        }
        await Call(async () => await appA.RecommendAsync(ReferencePatients.RelapsedRefractory(weightKg: 0), cancellationToken: Ct));
        await Call(async () => await appA.RecommendAsync(new RecommendRequest { GuidelineId = "not-served" }, cancellationToken: Ct));
        await Call(async () => await appB.AskAsync(new AskRequest { Question = "alectinib dose" }, cancellationToken: Ct));
        await Call(async () => await appB.AskAsync(new AskRequest { Question = " " }, cancellationToken: Ct));
        await Call(async () => await appB.GetGuidelineAsync(new GetGuidelineRequest { Audience = Audience.Patient }, cancellationToken: Ct));
        await Call(async () => answered.Add(await appB.RecommendAsync(ReferencePatients.Frontline(40), cancellationToken: Ct)));
        await _service.Feedback("app-a").SubmitFeedbackAsync(new SubmitFeedbackRequest
        {
            EvaluationId = answered[0].EvaluationId, CardId = answered[0].Cards[0].Id, Outcome = FeedbackOutcome.Overridden, OverrideReasonCode = "patient-preference",
        }, cancellationToken: Ct);

        var tokens = new List<string>();
        _all = await AllRecordsAsync(tokens, new EvaluationLogFilter(), pageSize: 3);
        await AllRecordsAsync(tokens, new EvaluationLogFilter { Caller = "app-a" }, pageSize: 2);
        _logged = new LoggedValues
        {
            Callers = ["app-a", "app-b"],
            ReleaseIds = [.. _all.Select(r => r.ReleaseId).Where(r => r.Length > 0).Distinct()],
            CardIds = [.. _all.SelectMany(r => r.Cards).Select(c => c.CardId).Distinct(), "conflict-x"],
            EvaluationIds = [.. _all.Select(r => r.EvaluationId)],
            PageTokens = tokens,
            First = first,
            Last = _clock.GetUtcNow(),
        };
    }

    public ValueTask DisposeAsync() => _service.DisposeAsync();

    [Fact]
    public async Task QueryEvaluationLogs_GeneratedFiltersSizesAndTokens_ReturnExactlyTheMatchingRecordsOrNameTheBrokenField()
    {
        var ops = _service.Ops();

        await PropertyRuns.CheckAsync(nameof(QueryEvaluationLogs_GeneratedFiltersSizesAndTokens_ReturnExactlyTheMatchingRecordsOrNameTheBrokenField), Requests.Query, async request =>
        {
            var broken = OpsFieldRules.Filter(request.Filter);
            if (request.PageSize is < 0 or > 500)
            {
                broken.Add("page_size");
            }
            var forged = request.PageToken.Length > 0 && !_logged.PageTokens.Contains(request.PageToken);
            QueryEvaluationLogsResponse page;
            try
            {
                page = await ops.QueryEvaluationLogsAsync(request, cancellationToken: Ct);
            }
            catch (RpcException refusal)
            {
                OpsFieldRules.AssertOutcome(refusal, broken, forged ? ["page_token"] : []);
                return;
            }
            OpsFieldRules.AssertOutcome(null, broken);
            var size = request.PageSize == 0 ? 50 : request.PageSize;
            Assert.InRange(page.Records.Count, 0, size);
            Assert.All(page.Records, r => Assert.True(OpsFieldRules.Matches(request.Filter, r) && r.InputJson.Length == 0, $"record {r.EvaluationId} does not match the filter"));
            Assert.True(page.Records.Zip(page.Records.Skip(1)).All(p => p.First.OccurredAt.ToDateTimeOffset() >= p.Second.OccurredAt.ToDateTimeOffset()), "records are not newest first");
            if (request.PageToken.Length == 0)
            {
                var matching = _all.Where(r => OpsFieldRules.Matches(request.Filter, r)).ToList();
                Assert.Equal(matching.Take(size).Select(r => r.EvaluationId), page.Records.Select(r => r.EvaluationId));
                Assert.Equal(matching.Count > size, page.NextPageToken.Length > 0);
            }
        }, threads: 2);

        await AssertLogUnchangedAndServingAsync();
    }

    [Fact]
    public async Task GetEvaluationLogAggregates_GeneratedFiltersAndTops_CountExactlyTheMatchingRecordsOrNameTheBrokenField()
    {
        var ops = _service.Ops();

        await PropertyRuns.CheckAsync(nameof(GetEvaluationLogAggregates_GeneratedFiltersAndTops_CountExactlyTheMatchingRecordsOrNameTheBrokenField), Requests.Aggregates, async request =>
        {
            var broken = OpsFieldRules.Filter(request.Filter);
            if (request.Top is < 0 or > 100)
            {
                broken.Add("top");
            }
            GetEvaluationLogAggregatesResponse aggregates;
            try
            {
                aggregates = await ops.GetEvaluationLogAggregatesAsync(request, cancellationToken: Ct);
            }
            catch (RpcException refusal)
            {
                OpsFieldRules.AssertOutcome(refusal, broken);
                return;
            }
            OpsFieldRules.AssertOutcome(null, broken);
            var matching = _all.Where(r => OpsFieldRules.Matches(request.Filter, r)).ToList();
            Assert.Equal(matching.Count, aggregates.Total);
            Assert.Equal(matching.Count(r => r.StatusCode != 0), aggregates.ErrorCount);
            Assert.Equal(aggregates.Total, aggregates.PerMinute.Sum(m => m.Count));
            var latency = aggregates.Latency;
            Assert.True(latency.P50Us <= latency.P95Us && latency.P95Us <= latency.P99Us && latency.P99Us <= latency.MaxUs, $"percentiles out of order: {latency}");
            var callers = matching.GroupBy(r => r.Caller, StringComparer.Ordinal).ToDictionary(g => g.Key, g => (long)g.Count(), StringComparer.Ordinal);
            Assert.Equal(Math.Min(request.Top == 0 ? 20 : request.Top, callers.Count), aggregates.ByCaller.Count);
            Assert.All(aggregates.ByCaller, g => Assert.Equal(callers[g.Key], g.Count));
        }, threads: 2);

        await AssertLogUnchangedAndServingAsync();
    }

    [Fact]
    public async Task ExportEvaluationLogs_GeneratedFiltersAndFormats_StreamExactlyTheMatchingRecordsOrNameTheBrokenField()
    {
        var ops = _service.Ops();

        await PropertyRuns.CheckAsync(nameof(ExportEvaluationLogs_GeneratedFiltersAndFormats_StreamExactlyTheMatchingRecordsOrNameTheBrokenField), Requests.Export, async request =>
        {
            var broken = OpsFieldRules.Filter(request.Filter);
            if (!GeneratedValues.IsDeclared(request.Format))
            {
                broken.Add("format");
            }
            var chunks = new List<ExportEvaluationLogsResponse>();
            try
            {
                using var call = ops.ExportEvaluationLogs(request, cancellationToken: Ct);
                await foreach (var chunk in call.ResponseStream.ReadAllAsync(Ct))
                {
                    chunks.Add(chunk);
                }
            }
            catch (RpcException refusal)
            {
                OpsFieldRules.AssertOutcome(refusal, broken);
                return;
            }
            OpsFieldRules.AssertOutcome(null, broken);
            var matching = _all.Where(r => OpsFieldRules.Matches(request.Filter, r)).Select(r => r.EvaluationId).ToHashSet(StringComparer.Ordinal);
            Assert.Equal(matching.Count, chunks[^1].RecordsSoFar);
            var text = string.Concat(chunks.Select(c => c.Chunk));
            if (request.Format == ExportFormat.Csv)
            {
                Assert.StartsWith(Recommendations.EvaluationLogs.EvaluationLogApi.CsvHeader + "\n", text, StringComparison.Ordinal);
            }
            else
            {
                var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
                Assert.Equal(matching, lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("evaluation_id").GetString()!).ToHashSet(StringComparer.Ordinal));
            }
        }, threads: 2);

        await AssertLogUnchangedAndServingAsync();
    }

    [Fact]
    public async Task GetAndReplayEvaluation_GeneratedIds_FindLoggedRecordsReplayAnswersIdenticallyOtherwiseNotFound()
    {
        var ops = _service.Ops();
        var byId = _all.ToDictionary(r => r.EvaluationId, StringComparer.Ordinal);

        await PropertyRuns.CheckAsync(nameof(GetAndReplayEvaluation_GeneratedIds_FindLoggedRecordsReplayAnswersIdenticallyOtherwiseNotFound), Requests.EvaluationId, async id =>
        {
            var known = byId.TryGetValue(id, out var logged);
            try
            {
                var record = (await ops.GetEvaluationLogAsync(new GetEvaluationLogRequest { EvaluationId = id }, cancellationToken: Ct)).Record;
                Assert.True(known, $"found a record for an id never logged: {record.EvaluationId}");
                Assert.Equal(id, record.EvaluationId);
                Assert.NotEmpty(record.InputJson);
            }
            catch (RpcException refusal)
            {
                Assert.True(!known && IsUnknownIdRefusal(id, refusal, StatusCode.NotFound), $"reading {(known ? "a logged" : "an unknown")} evaluation: {Refusals.Describe(refusal)}");
            }

            var replayable = known && logged!.Method == EvaluationMethod.Recommend && logged.StatusCode == 0;
            try
            {
                var replay = await ops.ReplayEvaluationAsync(new ReplayEvaluationRequest { EvaluationId = id }, cancellationToken: Ct);
                Assert.True(replayable, "replayed an evaluation that has no answered Recommend input");
                Assert.True(replay.LoggedRelease.Identical, $"replay against the release it used differs: {replay.LoggedRelease}");
            }
            catch (RpcException refusal)
            {
                Assert.True(!replayable && (known ? refusal.StatusCode == StatusCode.FailedPrecondition : IsUnknownIdRefusal(id, refusal, StatusCode.NotFound)),
                    $"replaying {(known ? "a logged" : "an unknown")} evaluation: {Refusals.Describe(refusal)}");
            }
        }, threads: 2);

        await AssertLogUnchangedAndServingAsync();
    }

    /// <summary>An id the service never returned: NotFound when it is shaped like one (a GUID), else refused naming <c>evaluation_id</c>.</summary>
    private static bool IsUnknownIdRefusal(string id, RpcException refusal, StatusCode notFound) =>
        Guid.TryParse(id, out _)
            ? refusal.StatusCode == notFound
            : refusal.StatusCode == StatusCode.InvalidArgument && Refusals.FieldsNamed(refusal).SetEquals(["evaluation_id"]);

    [Fact]
    public async Task GetFeedbackSummary_GeneratedRanges_AnsweredOrNameTheBrokenField()
    {
        var ops = _service.Ops();

        await PropertyRuns.CheckAsync(nameof(GetFeedbackSummary_GeneratedRanges_AnsweredOrNameTheBrokenField), Requests.FeedbackSummary, async request =>
        {
            var broken = new SortedSet<string>(StringComparer.Ordinal);
            OpsFieldRules.Time(broken, request.From, "from");
            OpsFieldRules.Time(broken, request.To, "to");
            try
            {
                var summary = await ops.GetFeedbackSummaryAsync(request, cancellationToken: Ct);
                OpsFieldRules.AssertOutcome(null, broken);
                Assert.All(summary.ByRule, r => Assert.InRange(r.OverrideRate, 0, 1));
            }
            catch (RpcException refusal)
            {
                OpsFieldRules.AssertOutcome(refusal, broken);
            }
        }, threads: 2);

        await AssertLogUnchangedAndServingAsync();
    }

    /// <summary>Every page of the log for <paramref name="filter"/>, newest first, adding each page token issued to <paramref name="tokens"/>.</summary>
    private async Task<List<EvaluationLogRecord>> AllRecordsAsync(List<string> tokens, EvaluationLogFilter filter, int pageSize)
    {
        var records = new List<EvaluationLogRecord>();
        var token = "";
        do
        {
            var page = await _service.Ops().QueryEvaluationLogsAsync(new QueryEvaluationLogsRequest { Filter = filter, PageSize = pageSize, PageToken = token }, cancellationToken: Ct);
            records.AddRange(page.Records);
            token = page.NextPageToken;
            if (token.Length > 0)
            {
                tokens.Add(token);
            }
        }
        while (token.Length > 0);
        return records;
    }

    private async Task AssertLogUnchangedAndServingAsync()
    {
        Assert.Equal(_all, await AllRecordsAsync([], new EvaluationLogFilter(), pageSize: 500));
        var response = await _service.Recommendations("app-a").RecommendAsync(ReferencePatients.RelapsedRefractory70Kg, cancellationToken: Ct);
        Assert.Contains(response.Cards, c => c.Id == "rr-alectinib");
    }
}
