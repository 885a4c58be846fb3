using System.Text.Json;
using AlkPlatform.Contracts.Ops.V1;
using AlkPlatform.Guidelines.Content;
using AlkPlatform.Guidelines.Releases;
using AlkPlatform.Recommendations.EvaluationLogs;
using AlkPlatform.Testing;
using Grpc.Core;
using Microsoft.Extensions.Time.Testing;

namespace AlkPlatform.EvaluationLogs.Tests;

public sealed class EvaluationLogRetentionServiceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

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
}
