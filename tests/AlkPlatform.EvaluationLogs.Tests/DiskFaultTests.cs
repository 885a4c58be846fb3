using AlkPlatform.Contracts.Ops.V1;
using AlkPlatform.Contracts.Recommendation.V1;
using AlkPlatform.Recommendations.EvaluationLogs;
using AlkPlatform.Testing;
using Grpc.Core;
using Grpc.Health.V1;

namespace AlkPlatform.EvaluationLogs.Tests;

/// <summary>
/// Real disk faults under the running service (see <see cref="SmallDisk"/>): a full disk and a filesystem turned
/// read-only. No answer may leave without its record, every acknowledged record must survive, and the database must
/// stay intact.
/// </summary>
public sealed class DiskFaultTests(ITestOutputHelper output)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task DiskFull_CallsAreUnavailableNeverAnsweredUnrecorded_AndServeAgainWhenSpaceReturns_WithNoAcknowledgedRecordLost()
    {
        using var disk = SmallDisk.Tmpfs(megabytes: 8);
        output.WriteLine($"disk: {disk.Kind}");
        var acknowledged = new List<string>();
        using (var service = new RecommendationServiceHost(disk.ServiceSettings, dataDirectory: disk.DataDirectory))
        {
            var client = service.Recommendations("disk-full-app");
            for (var i = 0; i < 10; i++)
            {
                acknowledged.Add((await client.RecommendAsync(ReferencePatients.RelapsedRefractory70Kg, cancellationToken: Ct)).EvaluationId);
            }

            disk.Fill();
            // Space the log already holds (WAL frames, free pages) may take a few more records; the first that needs new space fails.
            var refused = 0;
            for (var i = 0; i < 2000 && refused < 5; i++)
            {
                try
                {
                    acknowledged.Add((await client.RecommendAsync(ReferencePatients.RelapsedRefractory70Kg, cancellationToken: Ct)).EvaluationId);
                }
                catch (RpcException ex)
                {
                    Assert.Equal(StatusCode.Unavailable, ex.StatusCode);
                    refused++;
                }
            }
            Assert.Equal(5, refused);
            Assert.Contains(service.Get<GroupCommitLogWriter>().Refusals.Snapshot(), r => r is (LocalIdentityHost.EhrDemoAppId, LogRefusalReason.WriteFailed, >= 5));
            var seenByOps = await service.Ops().GetEvaluationLogAggregatesAsync(new GetEvaluationLogAggregatesRequest(), cancellationToken: Ct);
            Assert.Contains(seenByOps.LogRefusals, r => r is { Caller: LocalIdentityHost.EhrDemoAppId, Reason: "write_failed", Count: >= 5 });
            Assert.NotNull(service.Get<GroupCommitLogWriter>().LastFailure);

            disk.Free();
            RecommendResponse? again = null;
            for (var attempt = 0; attempt < 50 && again is null; attempt++)
            {
                try
                {
                    again = await client.RecommendAsync(ReferencePatients.RelapsedRefractory70Kg, cancellationToken: Ct);
                }
                catch (RpcException ex) when (ex.StatusCode == StatusCode.Unavailable)
                {
                    await Task.Delay(100, Ct);
                }
            }
            Assert.NotNull(again);
            acknowledged.Add(again.EvaluationId);
            Assert.Null(service.Get<GroupCommitLogWriter>().LastFailure);
            Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving,
                (await new Health.HealthClient(service.Channel).CheckAsync(new HealthCheckRequest(), cancellationToken: Ct)).Status);
        }

        AssertIntactWithEveryRecord(disk, acknowledged);
    }

    [Fact]
    public async Task DataDirectoryTurnedReadOnly_CallsAreUnavailable_AndAfterRepairEveryAcknowledgedRecordIsThere()
    {
        using var disk = SmallDisk.Ext4(megabytes: 32);
        output.WriteLine($"disk: {disk.Kind}");
        var acknowledged = new List<string>();
        using (var service = new RecommendationServiceHost(disk.ServiceSettings, dataDirectory: disk.DataDirectory))
        {
            var client = service.Recommendations("read-only-app");
            for (var i = 0; i < 10; i++)
            {
                acknowledged.Add((await client.RecommendAsync(ReferencePatients.RelapsedRefractory70Kg, cancellationToken: Ct)).EvaluationId);
            }

            disk.MakeReadOnly();
            var answeredAfter = new List<string>();
            for (var i = 0; i < 10; i++)
            {
                try
                {
                    answeredAfter.Add((await client.RecommendAsync(ReferencePatients.RelapsedRefractory70Kg, cancellationToken: Ct)).EvaluationId);
                }
                catch (RpcException ex)
                {
                    Assert.Equal(StatusCode.Unavailable, ex.StatusCode);
                }
            }
            // Space the log already held may take a record under the page cap; a read-only filesystem takes none.
            Assert.InRange(answeredAfter.Count, 0, disk.Kind == "ext4" ? 0 : 5);
            acknowledged.AddRange(answeredAfter);
        }

        disk.Remount();
        AssertIntactWithEveryRecord(disk, acknowledged);
        using var restarted = new RecommendationServiceHost(disk.ServiceSettings, dataDirectory: disk.DataDirectory);
        var answer = await restarted.Recommendations().RecommendAsync(ReferencePatients.RelapsedRefractory70Kg, cancellationToken: Ct);
        Assert.NotNull(restarted.Get<EvaluationLogQueries>().Find(answer.EvaluationId));
    }

    private static void AssertIntactWithEveryRecord(SmallDisk disk, List<string> acknowledged)
    {
        Assert.Equal("ok", disk.IntegrityCheck());
        var queries = new EvaluationLogQueries(Recommendations.Storage.RecommendationsDatabase.Open(disk.DatabasePath));
        Assert.DoesNotContain(acknowledged, id => queries.Find(id) is null);
    }
}
