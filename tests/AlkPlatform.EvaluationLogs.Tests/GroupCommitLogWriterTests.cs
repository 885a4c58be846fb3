using System.Text.Json;
using AlkPlatform.Contracts.Recommendation.V1;
using AlkPlatform.Recommendations.EvaluationLogs;
using AlkPlatform.Testing;
using EvaluationMethod = AlkPlatform.Contracts.Ops.V1.EvaluationMethod;

namespace AlkPlatform.EvaluationLogs.Tests;

/// <summary>
/// The writer re-binds only the insert parameters that changed since the previous row. Whatever the order of records —
/// values repeated, changed, changed back, a failed call between answers, a batch rolled back — every row must hold
/// exactly its own record's values.
/// </summary>
public sealed class GroupCommitLogWriterTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Writer_RecordsSharingSomeValuesWithThePreviousRow_AreEachStoredWithTheirOwnValues()
    {
        using var world = new WriterWorld();
        // A record from caller "fail" aborts its whole batch.
        var database = world.OpenDatabaseFailingBatchesFrom("fail");
        var writer = await world.StartWriterAsync(database, Ct);

        var relapsed = ReferencePatients.RelapsedRefractory70Kg;
        var frontline = ReferencePatients.Frontline(weightKg: 40);
        var cns = ReferencePatients.RelapsedRefractoryWithCns(weightKg: 55);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        async Task<PendingEvaluationLog> Answered(RecommendRequest request, string caller, string trace, long at, long latency) =>
            WriterWorld.Answered(request, await world.Api.Recommend(request, null!), caller, at, latency, trace);
        PendingEvaluationLog Failed(RecommendRequest request, string caller, string message) => new()
        {
            EvaluationId = Guid.CreateVersion7().ToString(),
            OccurredAtMs = now,
            Method = EvaluationMethod.Recommend,
            Caller = caller,
            Request = request,
            StatusCode = (int)Grpc.Core.StatusCode.InvalidArgument,
            StatusMessage = message,
            LatencyUs = 5,
        };

        // Appended together so that they share batches: each differs from the one before in some columns only.
        var appended = new List<PendingEvaluationLog>
        {
            await Answered(relapsed, "app-a", "trace-1", now, 100),
            await Answered(relapsed, "app-a", "", now, 100),
            await Answered(frontline, "app-b", "", now + 1, 250),
            Failed(cns, "app-b", "facts.weight_kg must be greater than 0 kg; got -3"),
            await Answered(relapsed, "app-a", "trace-1", now + 2, 100),
            await Answered(cns, "", "trace-2", now + 2, 90),
        };
        await Task.WhenAll(appended.Select(writer.Append));

        // A rolled-back batch between two records with otherwise equal values.
        await Assert.ThrowsAsync<Grpc.Core.RpcException>(() => writer.Append(Failed(frontline, "fail", "rolled back")));
        appended.Add(Failed(frontline, "app-c", "rolled back"));
        await writer.Append(appended[^1]);
        await writer.StopAsync(Ct);

        var queries = new EvaluationLogQueries(database);
        foreach (var expected in appended)
        {
            var row = queries.Find(expected.EvaluationId);
            Assert.NotNull(row);
            var request = (RecommendRequest)expected.Request!;
            var response = expected.Response as RecommendResponse;
            Assert.Equal(expected.OccurredAtMs, row.OccurredAtMs);
            Assert.Equal(expected.Caller, row.Caller);
            Assert.Equal(expected.TraceId, row.TraceId);
            Assert.Equal(expected.LatencyUs, row.LatencyUs);
            Assert.Equal(expected.StatusCode, row.StatusCode);
            Assert.Equal(expected.StatusMessage, row.StatusMessage);
            Assert.Equal(response?.Cards.Select(c => c.Id) ?? [], EvaluationLogRow.ParseCards(row.CardsJson).Select(c => c.CardId));
            Assert.Equal(response?.Explanation.Select(e => e.RuleId) ?? [], EvaluationLogRow.ParseStrings(row.RulesFired));
            Assert.Equal(response?.MissingFacts.Select(m => m.Fact) ?? [], EvaluationLogRow.ParseStrings(row.MissingFacts));
            using var input = JsonDocument.Parse(row.InputJson);
            var facts = input.RootElement.GetProperty("facts");
            Assert.Equal(request.Facts.WeightKg, facts.GetProperty("weightKg").GetDouble());
            Assert.Equal(request.Facts.CnsInvolvement == TriState.Yes ? "TRI_STATE_YES" : "TRI_STATE_NO", facts.GetProperty("cnsInvolvement").GetString());
        }
        // Three patients, three different sets of cards: the rows are not all the same.
        Assert.Equal(3, appended.Where(a => a.Response is not null)
            .Select(a => string.Join(",", ((RecommendResponse)a.Response!).Cards.Select(c => c.Id))).Distinct().Count());
    }
}
