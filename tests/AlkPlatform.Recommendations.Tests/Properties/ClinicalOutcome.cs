using System.Collections.Concurrent;
using AlkPlatform.Contracts.Ops.V1;
using CsCheck;
using AlkPlatform.Testing;
using AlkPlatform.Testing.Properties;
using Grpc.Core;

namespace AlkPlatform.Recommendations.Tests.Properties;

/// <summary>The checks every clinical property shares: how a call may end, and that what the service stored survives.</summary>
internal static class ClinicalOutcome
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// The property every clinical RPC shares: each generated request is answered only when it breaks no rule (then
    /// <paramref name="answer"/> checks the response and returns its evaluation id, which must be on record) and is
    /// otherwise refused naming exactly the fields it breaks; afterwards nothing already stored changed and the service
    /// still answers.
    /// </summary>
    public static async Task CheckRpcAsync<TRequest>(RecommendationServiceHost host, string property, Gen<TRequest> requests,
        Func<TRequest, string> guidelineOf, Func<TRequest, SortedSet<string>> brokenFields, Func<TRequest, Task<string>> answer)
    {
        ArgumentNullException.ThrowIfNull(guidelineOf);
        ArgumentNullException.ThrowIfNull(brokenFields);
        ArgumentNullException.ThrowIfNull(answer);
        var baseline = await RecordBaselineAsync(host);
        var answered = new ConcurrentBag<string>();
        await PropertyRuns.CheckAsync(property, requests, async request =>
        {
            var broken = brokenFields(request);
            try
            {
                var evaluationId = await answer(request);
                AssertMayBeAnswered(guidelineOf(request), broken);
                answered.Add(evaluationId);
            }
            catch (RpcException refusal)
            {
                AssertRefusal(refusal, guidelineOf(request), broken);
            }
        }, threads: 2);

        await AssertUnchangedAsync(host, baseline);
        await AssertOnRecordAsync(host, answered);
        await AssertStillServesAsync(host);
    }

    /// <summary>An answer is right only for a served guideline and a request that breaks no rule.</summary>
    public static void AssertMayBeAnswered(string guidelineId, SortedSet<string> broken) =>
        Assert.True(ClinicalFieldRules.IsServed(guidelineId) && broken.Count == 0,
            $"answered although the request breaks [{string.Join(", ", broken)}] (guideline '{guidelineId}')");

    /// <summary>
    /// A refusal is never a fault; for the served guideline it is InvalidArgument naming exactly the broken fields, for
    /// another it is NotFound or InvalidArgument naming the guideline or other broken fields.
    /// </summary>
    public static void AssertRefusal(RpcException refusal, string guidelineId, SortedSet<string> broken)
    {
        Assert.False(Refusals.Faults.Contains(refusal.StatusCode), $"a generated request faulted the service: {Refusals.Describe(refusal)}");
        var named = Refusals.FieldsNamed(refusal);
        if (ClinicalFieldRules.IsServed(guidelineId))
        {
            Assert.True(refusal.StatusCode == StatusCode.InvalidArgument && named.SetEquals(broken),
                $"expected InvalidArgument naming [{string.Join(", ", broken)}]; got {Refusals.Describe(refusal)}");
            return;
        }
        Assert.True(refusal.StatusCode is StatusCode.NotFound or StatusCode.InvalidArgument,
            $"an unknown guideline '{guidelineId}' should be NotFound or InvalidArgument; got {Refusals.Describe(refusal)}");
        if (refusal.StatusCode == StatusCode.InvalidArgument)
        {
            Assert.True(named.Count > 0 && named.All(f => f == "guideline_id" || broken.Contains(f)),
                $"expected a BadRequest naming guideline_id or [{string.Join(", ", broken)}]; got {Refusals.Describe(refusal)}");
        }
    }

    /// <summary>Three valid calls, one per logged RPC, and their log records as the ops API returns them.</summary>
    public static async Task<List<EvaluationLogRecord>> RecordBaselineAsync(RecommendationServiceHost host)
    {
        var client = host.Recommendations();
        string[] ids =
        [
            (await client.RecommendAsync(ReferencePatients.RelapsedRefractory70Kg, cancellationToken: Ct)).EvaluationId,
            (await client.AskAsync(new() { Question = "alectinib dose" }, cancellationToken: Ct)).EvaluationId,
            (await client.GetGuidelineAsync(new(), cancellationToken: Ct)).EvaluationId,
        ];
        return await RecordsAsync(host, ids);
    }

    /// <summary>What was on record before the generated calls is still there, unchanged.</summary>
    public static async Task AssertUnchangedAsync(RecommendationServiceHost host, List<EvaluationLogRecord> baseline) =>
        Assert.Equal(baseline, await RecordsAsync(host, baseline.Select(r => r.EvaluationId)));

    /// <summary>Every answer that left the service is on record as answered.</summary>
    public static async Task AssertOnRecordAsync(RecommendationServiceHost host, IEnumerable<string> answered)
    {
        foreach (var record in await RecordsAsync(host, answered))
        {
            Assert.Equal(0, record.StatusCode);
        }
    }

    /// <summary>After everything generated, the reference patient is still answered.</summary>
    public static async Task AssertStillServesAsync(RecommendationServiceHost host)
    {
        var response = await host.Recommendations().RecommendAsync(ReferencePatients.RelapsedRefractory70Kg, cancellationToken: Ct);
        Assert.Contains(response.Cards, c => c.Id == "rr-alectinib");
    }

    private static async Task<List<EvaluationLogRecord>> RecordsAsync(RecommendationServiceHost host, IEnumerable<string> ids)
    {
        var ops = host.Ops();
        var records = new List<EvaluationLogRecord>();
        foreach (var id in ids)
        {
            records.Add((await ops.GetEvaluationLogAsync(new() { EvaluationId = id }, cancellationToken: Ct)).Record);
        }
        return records;
    }
}
