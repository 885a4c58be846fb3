extern alias recommendations;

using AlkPlatform.Contracts.Recommendation.V1;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace AlkPlatform.Portal.Tests.Infrastructure;

/// <summary>
/// The real recommendation service (its global <c>Program</c>) on a loopback h2c port with its own data directory and a
/// test ops key: the portal's typed gRPC clients reach it over the network exactly as in production.
/// </summary>
public sealed class RecommendationServiceHost : WebApplicationFactory<recommendations::Program>
{
    public const string OpsKey = "portal-test-ops-key";

    private GrpcChannel? _channel;

    public string DataDirectory { get; } = Directory.CreateTempSubdirectory("alk-ops-service-").FullName;

    public Uri Address { get; }

    public RecommendationServiceHost()
    {
        UseKestrel();
        StartServer();
        Address = new Uri(Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
    }

    /// <summary>The portal settings that point the ops pages at this service.</summary>
    public IReadOnlyDictionary<string, string> PortalSettings(string opsKey = OpsKey) => new Dictionary<string, string>
    {
        ["RecommendationService:Address"] = Address.ToString(),
        ["RecommendationService:OpsApiKey"] = opsKey,
    };

    /// <summary>A recommendation client that identifies itself as <paramref name="clientApp"/>, as a clinician's app would.</summary>
    public RecommendationService.RecommendationServiceClient Recommendations(string clientApp) =>
        new(Channel.Intercept(metadata =>
        {
            metadata.Add("x-client-app", clientApp);
            return metadata;
        }));

    public FeedbackService.FeedbackServiceClient Feedback(string clientApp) =>
        new(Channel.Intercept(metadata =>
        {
            metadata.Add("x-client-app", clientApp);
            return metadata;
        }));

    public static RecommendRequest RelapsedPatient(double weightKg, string correlationId = "") => new()
    {
        Audience = Audience.Clinician,
        CorrelationId = correlationId,
        Facts = new PatientFacts { LineOfTherapy = LineOfTherapy.RelapsedRefractory, CnsInvolvement = TriState.No, WeightKg = weightKg },
    };

    private GrpcChannel Channel => _channel ??= GrpcChannel.ForAddress(Address);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.UseSetting("Kestrel:Endpoints:Grpc:Url", "http://127.0.0.1:0");
        builder.UseSetting("Kestrel:Endpoints:Grpc:Protocols", "Http2");
        builder.UseSetting("Storage:DataDirectory", DataDirectory);
        builder.UseSetting("EvaluationLogs:OpsApiKey", OpsKey);
    }

    protected override void Dispose(bool disposing)
    {
        _channel?.Dispose();
        base.Dispose(disposing);
        if (disposing)
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
