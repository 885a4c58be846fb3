using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using AlkPlatform.Contracts.Recommendation.V1;
using Grpc.Core;
using Grpc.Net.Client;

namespace AlkPlatform.Portal.Tests.Infrastructure;

/// <summary>
/// The real recommendation service as its own process (its build output, its own data directory, a free loopback port),
/// so a test runs portal and service side by side as they run in production.
/// </summary>
public sealed class RecommendationServiceProcess : IAsyncDisposable
{
    private readonly Process _process;

    public GrpcChannel Channel { get; }
    public RecommendationService.RecommendationServiceClient Client { get; }

    private RecommendationServiceProcess(Process process, Uri address)
    {
        _process = process;
        Channel = GrpcChannel.ForAddress(address);
        Client = new RecommendationService.RecommendationServiceClient(Channel);
    }

    public static async Task<RecommendationServiceProcess> StartAsync(string dataDirectory, Uri? releaseFeed, CancellationToken cancellationToken)
    {
        var serviceBin = ServiceBuildOutput();
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = serviceBin,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            Path.Combine(serviceBin, "AlkPlatform.Recommendations.dll"),
            "--contentRoot", serviceBin,
            $"--Kestrel:Endpoints:Grpc:Url=http://127.0.0.1:{port}",
            $"--Storage:DataDirectory={dataDirectory}",
            $"--ReleaseFeed:Address={releaseFeed}",
            "--Logging:LogLevel:Default=Warning",
        })
        {
            start.ArgumentList.Add(argument);
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the recommendation service.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var service = new RecommendationServiceProcess(process, new Uri($"http://127.0.0.1:{port}"));
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                await service.Client.ListGuidelinesAsync(new ListGuidelinesRequest(), cancellationToken: cancellationToken);
                return service;
            }
            catch (RpcException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                await Task.Delay(100, cancellationToken);
            }
        }
    }

    /// <summary>Stops the process the way an orchestrator would (SIGTERM), waiting for it to exit.</summary>
    public async Task StopAsync()
    {
        if (!_process.HasExited)
        {
            using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await kill.WaitForExitAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Channel.Dispose();
        _process.Dispose();
    }

    /// <summary>The service's own build output for this test run's configuration (the project reference builds it first).</summary>
    private static string ServiceBuildOutput()
    {
        var testBin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = testBin.Name;
        var configuration = testBin.Parent!.Name;
        var root = testBin;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "AlkPlatform.sln")))
        {
            root = root.Parent;
        }
        if (root is null)
        {
            throw new InvalidOperationException("Cannot find the repository root above " + AppContext.BaseDirectory);
        }
        return Path.Combine(root.FullName, "services", "AlkPlatform.Recommendations", "bin", configuration, framework);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
