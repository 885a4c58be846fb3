using AlkPlatform.Contracts.Ops.V1;
using AlkPlatform.Contracts.Recommendation.V1;
using Grpc.Health.V1;
using Microsoft.Extensions.Options;

namespace AlkPlatform.Portal.Ops;

public static class RecommendationServiceClients
{
    /// <summary>
    /// Typed gRPC clients for the ops pages, carrying the portal's app token (health is anonymous and gets none), and the
    /// audit page's activation reader.
    /// </summary>
    public static WebApplicationBuilder AddRecommendationServiceClients(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<RecommendationServiceOptions>().BindConfiguration(RecommendationServiceOptions.Section);
        builder.Services.AddSingleton<RecommendationServiceConnection>();
        builder.Services.AddTransient<ServiceTokenHandler>();
        builder.Services.AddGrpcClient<EvaluationLogService.EvaluationLogServiceClient>(ConfigureAddress)
            .AddHttpMessageHandler<ServiceTokenHandler>();
        builder.Services.AddGrpcClient<RecommendationService.RecommendationServiceClient>(ConfigureAddress)
            .AddHttpMessageHandler<ServiceTokenHandler>();
        builder.Services.AddGrpcClient<Health.HealthClient>(ConfigureAddress);
        builder.Services.AddSingleton<ReleaseActivationReader>();
        return builder;
    }

    private static void ConfigureAddress(IServiceProvider services, Grpc.Net.ClientFactory.GrpcClientFactoryOptions client) =>
        client.Address = services.GetRequiredService<IOptions<RecommendationServiceOptions>>().Value.AddressUri;
}
