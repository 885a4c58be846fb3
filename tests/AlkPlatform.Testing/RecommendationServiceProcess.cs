using AlkPlatform.Contracts.Recommendation.V1;
using Grpc.Core;
using Grpc.Health.V1;
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
    private readonly HostProcess _process;

    public Uri Address { get; }

    public GrpcChannel Channel { get; }
    public RecommendationService.RecommendationServiceClient Client { get; }

    private readonly LocalIdentityHost _identity;

    private RecommendationServiceProcess(HostProcess process, Uri address, LocalIdentityHost identity)
    {
        _process = process;
        _identity = identity;
        Address = address;
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
    /// <param name="cold">
    /// Returns once the process answers the anonymous liveness check, before it has validated any token: its first calls
    /// meet a cold process (no OpenID metadata fetched yet), as a replica started under traffic does. By default it returns
    /// once a call with the EHR demo app's token is answered.
    /// </param>
    public static async Task<RecommendationServiceProcess> StartAsync(
        string dataDirectory, IReadOnlyDictionary<string, string> settings, CancellationToken cancellationToken, LocalIdentityHost? identity = null,
        bool cold = false)
    {
        identity ??= LocalIdentityHost.Shared;
        var port = HostProcess.FreeLoopbackPorts(1)[0];
        var process = HostProcess.Start("services/AlkPlatform.Recommendations", "Production",
        [
            $"--Kestrel:Endpoints:Grpc:Url=http://127.0.0.1:{port}",
            "--Kestrel:Endpoints:Grpc:Protocols=Http2",
            $"--Storage:DataDirectory={dataDirectory}",
            "--Logging:LogLevel:Default=Warning",
        ],
        identity.AzureAdSettings(LocalIdentityHost.Service, LocalIdentityHost.ServiceClientId)
            .Concat(RecommendationServiceHost.KnownApps.Select(app => KeyValuePair.Create($"Authentication:KnownApps:{app.Key}", app.Value)))
            .Concat(settings),
        // The provider's throwaway certificate is the only root this process trusts: it talks to loopback hosts only.
        new Dictionary<string, string> { ["SSL_CERT_FILE"] = identity.CertificateFile });
        var service = new RecommendationServiceProcess(process, new Uri($"http://127.0.0.1:{port}"), identity);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                if (cold)
                {
                    await new Health.HealthClient(service.Channel).CheckAsync(
                        new HealthCheckRequest { Service = AlkPlatform.Recommendations.Recommend.RecommendationApiExtensions.LivenessService }, cancellationToken: cancellationToken);
                }
                else
                {
                    await service.Client.ListGuidelinesAsync(new ListGuidelinesRequest(), cancellationToken: cancellationToken);
                }
                return service;
            }
            catch (RpcException) when (process.HasExited)
            {
                await process.WaitForExitAsync(cancellationToken);
                var exitCode = process.ExitCode;
                await service.DisposeAsync();
                throw new InvalidOperationException(
                    $"The recommendation service exited with code {exitCode} before it answered. Its output:{Environment.NewLine}{process.Output}");
            }
            catch (RpcException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100, cancellationToken);
            }
        }
    }

    /// <summary>What the process wrote to stdout and stderr, for a failing test's message.</summary>
    public string Output => _process.Output;

    public bool HasExited => _process.HasExited;

    /// <summary>Stops the process the way an orchestrator would (SIGTERM), waiting for it to exit.</summary>
    public Task StopAsync() => _process.StopAsync();

    /// <summary>SIGKILL: no shutdown hooks, no drain, exactly like a crash.</summary>
    public void KillHard() => _process.KillHard();

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Channel.Dispose();
        _process.Dispose();
    }
}
