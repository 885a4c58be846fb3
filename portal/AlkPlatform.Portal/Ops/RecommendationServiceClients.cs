using AlkPlatform.Contracts.Ops.V1;
using AlkPlatform.Contracts.Recommendation.V1;
using Grpc.Health.V1;
using Microsoft.Extensions.Options;

namespace AlkPlatform.Portal.Ops;

public static class RecommendationServiceClients
{
    /// <summary>Typed gRPC clients for the ops pages (only the ops API clients carry the ops key), and the audit page's activation reader.</summary>
    public static WebApplicationBuilder AddRecommendationServiceClients(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<RecommendationServiceOptions>().BindConfiguration(RecommendationServiceOptions.Section);
        builder.Services.AddSingleton<RecommendationServiceConnection>();
        builder.Services.AddTransient<OpsApiKeyHandler>();
        builder.Services.AddGrpcClient<EvaluationLogService.EvaluationLogServiceClient>(ConfigureAddress)
            .AddHttpMessageHandler<OpsApiKeyHandler>();
        builder.Services.AddGrpcClient<RecommendationService.RecommendationServiceClient>(ConfigureAddress);
        builder.Services.AddGrpcClient<Health.HealthClient>(ConfigureAddress);
        builder.Services.AddSingleton<ReleaseActivationReader>();
        return builder;
    }

    private static void ConfigureAddress(IServiceProvider services, Grpc.Net.ClientFactory.GrpcClientFactoryOptions client) =>
        client.Address = services.GetRequiredService<IOptions<RecommendationServiceOptions>>().Value.AddressUri;
}
