using AlkPlatform.Contracts.Ops.V1;
using AlkPlatform.Contracts.Recommendation.V1;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace AlkPlatform.Testing;

/// <summary>
/// The real recommendation service in-process (its <c>Program</c>), with its own data directory, validating Entra-shaped
/// app tokens from a <see cref="LocalIdentityHost"/> (the process-wide one unless given its own): its clients present real
/// tokens from that provider's token endpoint, as a clinician's app or the portal would. Only a host built with
/// <c>anonymousDevelopment: true</c> runs the documented Development mode without authentication. gRPC calls go over the
/// test server's HTTP/2 handler; after <see cref="StartOnKestrel"/> the service listens on a loopback h2c port instead,
/// for clients in another host (the portal). <see cref="RecommendationServiceProcess"/> is the same service as its own process.
/// </summary>
public sealed class RecommendationServiceHost : WebApplicationFactory<Program>
{
    /// <summary>The claimed label the default clients send (<c>x-client-app</c>).</summary>
    public const string DefaultClientApp = "test-app";

    private readonly IReadOnlyDictionary<string, string> _settings;
    private readonly TimeProvider? _clock;
    private readonly bool _ownsDataDirectory;
    private readonly bool _anonymousDevelopment;
    private readonly Action<IServiceCollection>? _services;
    private GrpcChannel? _channel;

    /// <param name="settings">Configuration applied last, e.g. <c>ReleaseFeed:Address</c> or <c>EvaluationLogs:QueueCapacity</c>.</param>
    /// <param name="clock">The service's clock, e.g. a <c>FakeTimeProvider</c> the test moves.</param>
    /// <param name="dataDirectory">
    /// A directory the caller owns and keeps, to start the service again on the same data; by default a fresh temporary
    /// directory that disposal deletes.
    /// </param>
    /// <param name="identity">The identity provider whose tokens the service accepts; by default <see cref="LocalIdentityHost.Shared"/>.</param>
    /// <param name="anonymousDevelopment">Development with no authentication configured: answers callers without tokens.</param>
    /// <param name="services">Registrations after the service's own, e.g. a telemetry exporter (<c>TelemetryCapture.AddTo</c>).</param>
    public RecommendationServiceHost(IReadOnlyDictionary<string, string>? settings = null, TimeProvider? clock = null, string? dataDirectory = null,
        LocalIdentityHost? identity = null, bool anonymousDevelopment = false, Action<IServiceCollection>? services = null)
    {
        _services = services;
        _settings = settings ?? new Dictionary<string, string>();
        _clock = clock;
        _anonymousDevelopment = anonymousDevelopment;
        Identity = anonymousDevelopment ? null : identity ?? LocalIdentityHost.Shared;
        _ownsDataDirectory = dataDirectory is null;
        DataDirectory = dataDirectory ?? Directory.CreateTempSubdirectory("alk-service-").FullName;
    }

    public string DataDirectory { get; }

    /// <summary>The provider whose app tokens the service validates; null in anonymous Development.</summary>
    public LocalIdentityHost? Identity { get; }

    public string DatabasePath => Path.Combine(DataDirectory, "recommendations.db");

    /// <summary>The loopback address the service listens on, once started on Kestrel.</summary>
    public Uri? Address { get; private set; }

    /// <summary>One channel per host: in memory over the test server, or to <see cref="Address"/> once on Kestrel.</summary>
    public GrpcChannel Channel => _channel ??= Address is null
        ? GrpcChannel.ForAddress(Server.BaseAddress, new GrpcChannelOptions { HttpHandler = Server.CreateHandler() })
        : GrpcChannel.ForAddress(Address);

    /// <summary>Starts the service on a real loopback port, so the portal's typed gRPC clients reach it over the network as in production.</summary>
    public void StartOnKestrel()
    {
        UseKestrel();
        StartServer();
        Address = new Uri(Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
    }

    /// <summary>The portal settings that point its ops pages at this service (started on Kestrel), with app tokens for it.</summary>
    public IReadOnlyDictionary<string, string> PortalSettings() => new Dictionary<string, string>
    {
        ["RecommendationService:Address"] = (Address ?? throw new InvalidOperationException("Start the service on Kestrel first.")).ToString(),
        ["RecommendationService:Scope"] = $"api://{LocalIdentityHost.ServiceClientId}/.default",
    };

    /// <summary>
    /// Calls as the app registered as <paramref name="app"/> (its real token from the provider; none for null), labelled
    /// <paramref name="clientApp"/> in <c>x-client-app</c>.
    /// </summary>
    public CallInvoker As(string? app, string? clientApp = DefaultClientApp)
    {
        var identity = Identity;
        return Channel.WithBearer(app is null || identity is null ? null : () => identity.TokenFor(app, LocalIdentityHost.Service), clientApp);
    }

    /// <summary>A recommendation client of the EHR demo app (Recommendations.Read), labelling itself <paramref name="clientApp"/>.</summary>
    public RecommendationService.RecommendationServiceClient Recommendations(string clientApp = DefaultClientApp, string app = LocalIdentityHost.EhrDemoApp) =>
        new(As(app, clientApp));

    public FeedbackService.FeedbackServiceClient Feedback(string clientApp = DefaultClientApp, string app = LocalIdentityHost.EhrDemoApp) =>
        new(As(app, clientApp));

    /// <summary>An ops client as the portal (EvaluationLogs.Read) by default, as another app, or with no token for null.</summary>
    public EvaluationLogService.EvaluationLogServiceClient Ops(string? app = LocalIdentityHost.Portal) => new(As(app, clientApp: null));

    /// <summary>The display names the service shows for the provider's apps (Authentication:KnownApps).</summary>
    public static IReadOnlyDictionary<string, string> KnownApps { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [LocalIdentityHost.EhrDemoAppId] = "EHR demo app",
        [LocalIdentityHost.PortalClientId] = "AlkPlatform portal",
        [LocalIdentityHost.NoRoleAppId] = "Demo app without a role",
        [LocalIdentityHost.WardDemoAppId] = "Ward demo app",
    };

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(_anonymousDevelopment ? "Development" : "Testing");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        // appsettings.json names a fixed port; on Kestrel the service listens on a free loopback port, h2c only.
        builder.UseSetting("Kestrel:Endpoints:Grpc:Url", "http://127.0.0.1:0");
        builder.UseSetting("Kestrel:Endpoints:Grpc:Protocols", "Http2");
        builder.UseSetting("Storage:DataDirectory", DataDirectory);
        if (Identity is { } identity)
        {
            foreach (var (key, value) in identity.AzureAdSettings(LocalIdentityHost.Service, LocalIdentityHost.ServiceClientId))
            {
                builder.UseSetting(key, value);
            }
            foreach (var (appId, name) in KnownApps)
            {
                builder.UseSetting($"Authentication:KnownApps:{appId}", name);
            }
            builder.ConfigureTestServices(identity.TrustIn);
        }
        // Retention runs once at start-up; within a test only the test's own purge runs after that.
        builder.UseSetting("EvaluationLogs:RetentionInterval", "01:00:00");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
        if (_clock is { } clock)
        {
            builder.ConfigureTestServices(services => services.AddSingleton(clock));
        }
        if (_services is { } configure)
        {
            builder.ConfigureTestServices(configure);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _channel?.Dispose();
        }
        base.Dispose(disposing);
        if (disposing && _ownsDataDirectory)
        {
            SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(DataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp directory is harmless.
            }
        }
    }
}
