using AlkPlatform.Contracts.Ops.V1;
using AlkPlatform.Contracts.Recommendation.V1;
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
/// The real recommendation service in-process (its <c>Program</c>), with its own data directory and a test ops key. gRPC
/// calls go over the test server's HTTP/2 handler; after <see cref="StartOnKestrel"/> the service listens on a loopback
/// h2c port instead, for clients in another host (the portal). <see cref="RecommendationServiceProcess"/> is the same
/// service as its own process.
/// </summary>
public sealed class RecommendationServiceHost : WebApplicationFactory<Program>
{
    public const string OpsKey = "test-ops-key";

    private readonly IReadOnlyDictionary<string, string> _settings;
    private readonly TimeProvider? _clock;
    private readonly bool _ownsDataDirectory;
    private GrpcChannel? _channel;

    /// <param name="settings">Configuration applied last, e.g. <c>ReleaseFeed:Address</c> or <c>EvaluationLogs:QueueCapacity</c>.</param>
    /// <param name="clock">The service's clock, e.g. a <c>FakeTimeProvider</c> the test moves.</param>
    /// <param name="dataDirectory">
    /// A directory the caller owns and keeps, to start the service again on the same data; by default a fresh temporary
    /// directory that disposal deletes.
    /// </param>
    public RecommendationServiceHost(IReadOnlyDictionary<string, string>? settings = null, TimeProvider? clock = null, string? dataDirectory = null)
    {
        _settings = settings ?? new Dictionary<string, string>();
        _clock = clock;
        _ownsDataDirectory = dataDirectory is null;
        DataDirectory = dataDirectory ?? Directory.CreateTempSubdirectory("alk-service-").FullName;
    }

    public string DataDirectory { get; }

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

    /// <summary>The portal settings that point its ops pages at this service (started on Kestrel).</summary>
    public IReadOnlyDictionary<string, string> PortalSettings(string opsKey = OpsKey) => new Dictionary<string, string>
    {
        ["RecommendationService:Address"] = (Address ?? throw new InvalidOperationException("Start the service on Kestrel first.")).ToString(),
        ["RecommendationService:OpsApiKey"] = opsKey,
    };

    /// <summary>A recommendation client that identifies itself as <paramref name="clientApp"/>, as a clinician's app would.</summary>
    public RecommendationService.RecommendationServiceClient Recommendations(string clientApp = "test-app") => new(Channel.AsClientApp(clientApp));

    public FeedbackService.FeedbackServiceClient Feedback(string clientApp = "test-app") => new(Channel.AsClientApp(clientApp));

    /// <summary>An ops client with the test ops key, another key, or none for null.</summary>
    public EvaluationLogService.EvaluationLogServiceClient Ops(string? key = OpsKey) => new(Channel.WithOpsApiKey(key));

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        // appsettings.json names a fixed port; on Kestrel the service listens on a free loopback port, h2c only.
        builder.UseSetting("Kestrel:Endpoints:Grpc:Url", "http://127.0.0.1:0");
        builder.UseSetting("Kestrel:Endpoints:Grpc:Protocols", "Http2");
        builder.UseSetting("Storage:DataDirectory", DataDirectory);
        builder.UseSetting("EvaluationLogs:OpsApiKey", OpsKey);
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
