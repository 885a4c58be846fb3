using System.Collections.Concurrent;
using AlkPlatform.Contracts.Ops.V1;
using AlkPlatform.Contracts.Recommendation.V1;
using AlkPlatform.Testing;
using Grpc.Core;
using Microsoft.Data.Sqlite;

namespace AlkPlatform.EvaluationLogs.Tests;

/// <summary>The real service as a child process on a free port, killed with SIGKILL mid-load.</summary>
public sealed class CrashRecoveryTests
{
    // The load comes from one test process, which shares one rate-limit budget: lift it.
    private static readonly Dictionary<string, string> Settings = new()
    {
        ["RateLimits:TokenLimit"] = "1000000",
        ["RateLimits:TokensPerPeriod"] = "1000000",
    };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Kill9_UnderLoad_EveryAnsweredCallHasALogRow_AndTheDatabaseIsIntact()
    {
        var dataDirectory = Directory.CreateTempSubdirectory("alk-evlog-crash-").FullName;
        var answered = new ConcurrentBag<string>();
        try
        {
            await using (var first = await RecommendationServiceProcess.StartAsync(dataDirectory, Settings, Ct))
            {
                using var loadStop = new CancellationTokenSource();
                var workers = Enumerable.Range(0, 16).Select(worker => Task.Run(async () =>
                {
                    var client = new RecommendationService.RecommendationServiceClient(first.As(LocalIdentityHost.EhrDemoApp, $"load-{worker}"));
                    while (!loadStop.IsCancellationRequested)
                    {
                        try
                        {
                            var answer = await client.RecommendAsync(ReferencePatients.RelapsedRefractory(40 + worker), cancellationToken: loadStop.Token);
                            answered.Add(answer.EvaluationId);
                        }
                        catch (RpcException)
                        {
                            // After the kill every call fails; only answers count.
                        }
                    }
                }, CancellationToken.None)).ToList();

                var deadline = DateTime.UtcNow.AddSeconds(120);
                while (answered.Count < 500 && DateTime.UtcNow < deadline)
                {
                    await Task.Delay(10, Ct);
                }
                first.KillHard();
                await Task.Delay(200, Ct);
                await loadStop.CancelAsync();
                await Task.WhenAll(workers);
            }

            Assert.True(answered.Count >= 500);
            await using var second = await RecommendationServiceProcess.StartAsync(dataDirectory, Settings, Ct);
            var ops = new EvaluationLogService.EvaluationLogServiceClient(second.As(LocalIdentityHost.Portal));
            var missing = await LoggedEvaluations.MissingAsync(ops, answered, Ct);
            Assert.Empty(missing);

            await using var connection = new SqliteConnection($"Data Source={Path.Combine(dataDirectory, "recommendations.db")};Mode=ReadOnly");
            await connection.OpenAsync(Ct);
            using var check = connection.CreateCommand();
            check.CommandText = "PRAGMA integrity_check;";
            Assert.Equal("ok", (string?)await check.ExecuteScalarAsync(Ct));

            // The restarted service answers and logs again.
            var again = await second.Client.RecommendAsync(ReferencePatients.RelapsedRefractory70Kg, cancellationToken: Ct);
            await ops.GetEvaluationLogAsync(new GetEvaluationLogRequest { EvaluationId = again.EvaluationId }, cancellationToken: Ct);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(dataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp directory is harmless.
            }
        }
    }
}
