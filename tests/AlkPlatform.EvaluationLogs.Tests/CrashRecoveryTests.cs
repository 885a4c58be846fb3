using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using AlkPlatform.Contracts.Ops.V1;
using AlkPlatform.Contracts.Recommendation.V1;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Data.Sqlite;

namespace AlkPlatform.EvaluationLogs.Tests;

/// <summary>The real service as a child process on a free port, killed with SIGKILL mid-load.</summary>
public sealed class CrashRecoveryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Kill9_UnderLoad_EveryAnsweredCallHasALogRow_AndTheDatabaseIsIntact()
    {
        var dataDirectory = Directory.CreateTempSubdirectory("alk-evlog-crash-").FullName;
        var answered = new ConcurrentBag<string>();
        try
        {
            using (var first = await ServiceProcess.StartAsync(dataDirectory, Ct))
            {
                using var loadStop = new CancellationTokenSource();
                var client = new RecommendationService.RecommendationServiceClient(first.Channel);
                var workers = Enumerable.Range(0, 16).Select(worker => Task.Run(async () =>
                {
                    var headers = new Metadata { { "x-client-app", $"load-{worker}" } };
                    while (!loadStop.IsCancellationRequested)
                    {
                        try
                        {
                            var answer = await client.RecommendAsync(ServiceHost.RelapsedPatient(40 + worker), headers, cancellationToken: loadStop.Token);
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
            using var second = await ServiceProcess.StartAsync(dataDirectory, Ct);
            var ops = new EvaluationLogService.EvaluationLogServiceClient(second.Channel);
            var headersOps = new Metadata { { "x-ops-api-key", ServiceProcess.OpsKey } };
            var missing = new List<string>();
            foreach (var id in answered)
            {
                try
                {
                    await ops.GetEvaluationLogAsync(new GetEvaluationLogRequest { EvaluationId = id }, headersOps, cancellationToken: Ct);
                }
                catch (RpcException ex) when (ex.StatusCode == StatusCode.NotFound)
                {
                    missing.Add(id);
                }
            }
            Assert.Empty(missing);

            await using var connection = new SqliteConnection($"Data Source={Path.Combine(dataDirectory, "recommendations.db")};Mode=ReadOnly");
            await connection.OpenAsync(Ct);
            using var check = connection.CreateCommand();
            check.CommandText = "PRAGMA integrity_check;";
            Assert.Equal("ok", (string?)await check.ExecuteScalarAsync(Ct));

            // The restarted service answers and logs again.
            var again = await new RecommendationService.RecommendationServiceClient(second.Channel).RecommendAsync(ServiceHost.RelapsedPatient(), cancellationToken: Ct);
            await ops.GetEvaluationLogAsync(new GetEvaluationLogRequest { EvaluationId = again.EvaluationId }, headersOps, cancellationToken: Ct);
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

    private sealed class ServiceProcess : IDisposable
    {
        public const string OpsKey = "crash-test-ops-key";

        private readonly Process _process;

        public GrpcChannel Channel { get; }

        private ServiceProcess(Process process, GrpcChannel channel)
        {
            _process = process;
            Channel = channel;
        }

        public static async Task<ServiceProcess> StartAsync(string dataDirectory, CancellationToken cancellationToken)
        {
            var port = FreePort();
            var serviceDll = Path.Combine(AppContext.BaseDirectory, "AlkPlatform.Recommendations.dll");
            var start = new ProcessStartInfo("dotnet")
            {
                WorkingDirectory = dataDirectory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in new[]
                     {
                         serviceDll,
                         $"--Kestrel:Endpoints:Grpc:Url=http://127.0.0.1:{port}",
                         "--Kestrel:Endpoints:Grpc:Protocols=Http2",
                         $"--Storage:DataDirectory={dataDirectory}",
                         $"--EvaluationLogs:OpsApiKey={OpsKey}",
                         "--Logging:LogLevel:Default=Warning",
                     })
            {
                start.ArgumentList.Add(argument);
            }
            start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
            var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{port}");
            var service = new ServiceProcess(process, channel);
            var client = new RecommendationService.RecommendationServiceClient(channel);
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (true)
            {
                try
                {
                    await client.ListGuidelinesAsync(new ListGuidelinesRequest(), cancellationToken: cancellationToken);
                    return service;
                }
                catch (RpcException) when (DateTime.UtcNow < deadline && !process.HasExited)
                {
                    await Task.Delay(100, cancellationToken);
                }
            }
        }

        /// <summary>SIGKILL: no shutdown hooks, no drain, exactly like a crash.</summary>
        public void KillHard()
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        public void Dispose()
        {
            Channel.Dispose();
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit();
            }
            _process.Dispose();
        }
    }
}
