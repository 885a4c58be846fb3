using AlkPlatform.Contracts.Ops.V1;
using AlkPlatform.Recommendations.EvaluationLogs;
using AlkPlatform.Testing;
using Grpc.Core;

namespace AlkPlatform.EvaluationLogs.Tests;

/// <summary>
/// The log writer slowed for real: another connection holds SQLite's write lock, so the writer waits for it as it would
/// behind a slow disk. An answer whose deadline passes while its record waits is withheld, and its record says so.
/// </summary>
public sealed class DeadlineTests : IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly RecommendationServiceHost _service = new();

    public void Dispose() => _service.Dispose();

    [Fact]
    public async Task Recommend_DeadlinePassingWhileItsRecordWaits_IsNotAnsweredOk_AndIsRecordedAsDeadlineExceeded()
    {
        var caller = "deadline-" + Guid.NewGuid().ToString("N")[..8];
        await _service.Recommendations().RecommendAsync(ReferencePatients.RelapsedRefractory70Kg, cancellationToken: Ct);

        using (var locker = SqliteWriteLock.Hold(_service.DatabasePath))
        {
            // The server resets the stream at the deadline (in-process that surfaces as a reset, over h2c as DeadlineExceeded): no answer.
            await Assert.ThrowsAsync<RpcException>(() => _service.Recommendations(caller).RecommendAsync(
                ReferencePatients.RelapsedRefractory70Kg, deadline: DateTime.UtcNow.AddMilliseconds(300), cancellationToken: Ct).ResponseAsync);
            // Past the deadline on the server's clock too before the writer gets the lock.
            await Task.Delay(400, Ct);
        }

        var row = await WaitForRecordOf(caller);
        Assert.Equal((int)StatusCode.DeadlineExceeded, row.StatusCode);
        Assert.Empty(EvaluationLogRow.ParseCards(row.CardsJson));
        Assert.Empty(EvaluationLogRow.ParseStrings(row.RulesFired));
        Assert.Equal("alk-lbcl", row.GuidelineId);
    }

    [Fact]
    public async Task Recommend_WriterSlowedWithinTheDeadline_IsAnsweredAndRecordedOk()
    {
        var caller = "patient-" + Guid.NewGuid().ToString("N")[..8];
        await _service.Recommendations().RecommendAsync(ReferencePatients.RelapsedRefractory70Kg, cancellationToken: Ct);

        Task<Contracts.Recommendation.V1.RecommendResponse> call;
        using (SqliteWriteLock.Hold(_service.DatabasePath))
        {
            call = _service.Recommendations(caller).RecommendAsync(
                ReferencePatients.RelapsedRefractory70Kg, deadline: DateTime.UtcNow.AddSeconds(30), cancellationToken: Ct).ResponseAsync;
            await Task.Delay(300, Ct);
            Assert.False(call.IsCompleted);
        }
        var answer = await call;

        var row = _service.Get<EvaluationLogQueries>().Find(answer.EvaluationId);
        Assert.NotNull(row);
        Assert.Equal(0, row.StatusCode);
        Assert.NotEmpty(EvaluationLogRow.ParseCards(row.CardsJson));
    }

    private async Task<EvaluationLogRow> WaitForRecordOf(string caller)
    {
        var queries = _service.Get<EvaluationLogQueries>();
        for (var attempt = 0; attempt < 200; attempt++)
        {
            // Every call here is the same verified app; the claimed x-client-app label tells this test's call apart.
            if (queries.Page(new EvaluationLogFilter(), null, 50).SingleOrDefault(r => r.ClaimedCaller == caller) is { } row)
            {
                return row;
            }
            await Task.Delay(50, Ct);
        }
        throw new InvalidOperationException($"No record of {caller} was committed.");
    }
}
