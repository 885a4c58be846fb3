using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using AlkPlatform.Contracts.Recommendation.V1;
using Grpc.Core;
using Grpc.Net.Client;

namespace AlkPlatform.Testing;

/// <summary>
/// The real recommendation service as its own process (its build output, its own data directory, a free loopback port,
/// the Production environment, app tokens from a <see cref="LocalIdentityHost"/> whose certificate it trusts through
/// SSL_CERT_FILE), as it runs in production: stopped with SIGTERM, or killed with SIGKILL like a crash.
/// This project references the service project, so its build output exists. <see cref="RecommendationServiceHost"/> is the
/// same service in-process.
/// </summary>
public sealed class RecommendationServiceProcess : IAsyncDisposable
{
    private readonly Process _process;

    public GrpcChannel Channel { get; }
    public RecommendationService.RecommendationServiceClient Client { get; }

    private readonly LocalIdentityHost _identity;

    private RecommendationServiceProcess(Process process, Uri address, LocalIdentityHost identity)
    {
        _process = process;
        _identity = identity;
        Channel = GrpcChannel.ForAddress(address);
        Client = new RecommendationService.RecommendationServiceClient(As(LocalIdentityHost.EhrDemoApp));
    }

    /// <summary>Calls as the app registered as <paramref name="app"/> (its real token), or with no token for null.</summary>
    public CallInvoker As(string? app, string? clientApp = RecommendationServiceHost.DefaultClientApp) =>
        Channel.WithBearer(app is null ? null : () => _identity.TokenFor(app, LocalIdentityHost.Service), clientApp);

    /// <summary>
    /// Settings for a service that follows the portal's release feed at <paramref name="feed"/> and trusts the signing keys
    /// whose public PEMs are given: in Production the service refuses to start following a feed with no trusted key.
    /// </summary>
    public static IReadOnlyDictionary<string, string> FollowingFeed(Uri feed, params IReadOnlyList<string> trustedPublicKeyPems)
    {
        ArgumentNullException.ThrowIfNull(feed);
        ArgumentNullException.ThrowIfNull(trustedPublicKeyPems);
        var settings = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["ReleaseFeed:Address"] = feed.ToString(),
            ["ReleaseFeed:Scope"] = TestReleaseFeed.PortalFeedScope,
        };
        for (var i = 0; i < trustedPublicKeyPems.Count; i++)
        {
            settings[$"ReleaseTrust:TrustedKeys:{i}"] = trustedPublicKeyPems[i];
        }
        return settings;
    }

    /// <param name="settings">Further configuration, e.g. <c>ReleaseFeed:Address</c> or <c>EvaluationLogs:QueueCapacity</c>.</param>
    /// <exception cref="InvalidOperationException">The process exited before it answered; the message holds what it wrote.</exception>
    /// <param name="identity">The identity provider it validates tokens of and gets its own from; by default the shared one.</param>
    public static async Task<RecommendationServiceProcess> StartAsync(
        string dataDirectory, IReadOnlyDictionary<string, string> settings, CancellationToken cancellationToken, LocalIdentityHost? identity = null)
    {
        identity ??= LocalIdentityHost.Shared;
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
            "--Kestrel:Endpoints:Grpc:Protocols=Http2",
            $"--Storage:DataDirectory={dataDirectory}",
            "--Logging:LogLevel:Default=Warning",
        })
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (key, value) in identity.AzureAdSettings(LocalIdentityHost.Service, LocalIdentityHost.ServiceClientId)
                     .Concat(RecommendationServiceHost.KnownApps.Select(app => KeyValuePair.Create($"Authentication:KnownApps:{app.Key}", app.Value)))
                     .Concat(settings))
        {
            start.ArgumentList.Add($"--{key}={value}");
        }
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        // The provider's throwaway certificate is the only root this process trusts: it talks to loopback hosts only.
        start.Environment["SSL_CERT_FILE"] = identity.CertificateFile;
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the recommendation service.");
        var output = new ConcurrentQueue<string>();
        process.OutputDataReceived += (_, line) => Keep(output, line.Data);
        process.ErrorDataReceived += (_, line) => Keep(output, line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var service = new RecommendationServiceProcess(process, new Uri($"http://127.0.0.1:{port}"), identity);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                await service.Client.ListGuidelinesAsync(new ListGuidelinesRequest(), cancellationToken: cancellationToken);
                return service;
            }
            catch (RpcException) when (process.HasExited)
            {
                await process.WaitForExitAsync(cancellationToken);
                var exitCode = process.ExitCode;
                await service.DisposeAsync();
                throw new InvalidOperationException(
                    $"The recommendation service exited with code {exitCode} before it answered. Its output:{Environment.NewLine}{string.Join(Environment.NewLine, output)}");
            }
            catch (RpcException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100, cancellationToken);
            }
        }
    }

    /// <summary>The first lines the process wrote, for the message when it fails to start; a chatty process cannot fill the memory.</summary>
    private static void Keep(ConcurrentQueue<string> output, string? line)
    {
        if (line is not null && output.Count < 200)
        {
            output.Enqueue(line);
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

    /// <summary>SIGKILL: no shutdown hooks, no drain, exactly like a crash.</summary>
    public void KillHard()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
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
