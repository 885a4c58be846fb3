using AlkPlatform.Contracts.Ops.V1;
using AlkPlatform.Contracts.Recommendation.V1;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace AlkPlatform.EvaluationLogs.Tests;

/// <summary>A clock the test moves by hand; timers still run on real time.</summary>
public sealed class ManualClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}

/// <summary>The recommendation service in-process, with its own data directory, ops key and settings.</summary>
public sealed class ServiceHost : IAsyncDisposable
{
    public const string OpsKey = "test-ops-key";

    private readonly WebApplicationFactory<Program> _factory;
    private readonly GrpcChannel _channel;

    public string DataDirectory { get; }
    public string DatabasePath => Path.Combine(DataDirectory, "recommendations.db");
    public IServiceProvider Services => _factory.Services;

    public ServiceHost(IReadOnlyDictionary<string, string>? settings = null, TimeProvider? clock = null)
    {
        DataDirectory = Directory.CreateTempSubdirectory("alk-evlog-").FullName;
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseSetting("Storage:DataDirectory", DataDirectory);
            web.UseSetting("EvaluationLogs:OpsApiKey", OpsKey);
            web.UseSetting("EvaluationLogs:RetentionInterval", "01:00:00");
            foreach (var (key, value) in settings ?? new Dictionary<string, string>())
            {
                web.UseSetting(key, value);
            }
            if (clock is not null)
            {
                web.ConfigureTestServices(services => services.AddSingleton(clock));
            }
        });
        _channel = GrpcChannel.ForAddress(_factory.Server.BaseAddress, new GrpcChannelOptions { HttpHandler = _factory.Server.CreateHandler() });
    }

    /// <summary>A recommendation client that identifies itself as <paramref name="clientApp"/>.</summary>
    public RecommendationService.RecommendationServiceClient Recommendations(string clientApp = "test-app") =>
        new(_channel.Intercept(metadata =>
        {
            metadata.Add("x-client-app", clientApp);
            return metadata;
        }));

    public FeedbackService.FeedbackServiceClient Feedback(string clientApp = "test-app") =>
        new(_channel.Intercept(metadata =>
        {
            metadata.Add("x-client-app", clientApp);
            return metadata;
        }));

    public EvaluationLogService.EvaluationLogServiceClient Ops(string? key = OpsKey) =>
        new(_channel.Intercept(metadata =>
        {
            if (key is not null)
            {
                metadata.Add("x-ops-api-key", key);
            }
            return metadata;
        }));

    public T Get<T>() where T : notnull => _factory.Services.GetRequiredService<T>();

    public static RecommendRequest RelapsedPatient(double weightKg = 70, string correlationId = "") => new()
    {
        Audience = Audience.Clinician,
        CorrelationId = correlationId,
        Facts = new PatientFacts
        {
            LineOfTherapy = LineOfTherapy.RelapsedRefractory,
            CnsInvolvement = TriState.No,
            WeightKg = weightKg,
        },
    };

    public async ValueTask DisposeAsync()
    {
        _channel.Dispose();
        await _factory.DisposeAsync();
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
