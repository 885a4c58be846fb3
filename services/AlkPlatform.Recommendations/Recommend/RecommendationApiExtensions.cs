using AlkPlatform.Recommendations.Releases;

namespace AlkPlatform.Recommendations.Recommend;

public static class RecommendationApiExtensions
{
    /// <summary>Releases are restored before the first request; new ones swap in atomically.</summary>
    public static WebApplicationBuilder AddRecommendationEngine(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ReleaseStore>();
        builder.Services.AddSingleton<ReleaseCatalog>();
        builder.Services.AddSingleton<ReleaseActivator>();
        builder.Services.AddHostedService<ReleaseRestoreService>();
        builder.Services.AddGrpc(options => options.EnableDetailedErrors = builder.Environment.IsDevelopment());
        builder.Services.AddGrpcReflection();
        builder.Services.AddGrpcHealthChecks().AddCheck<ReleaseHealthCheck>("releases");
        return builder;
    }

    public static WebApplication MapRecommendationApi(this WebApplication app)
    {
        app.MapGrpcService<RecommendationApi>();
        app.MapGrpcHealthChecksService();
        app.MapGrpcReflectionService();
        return app;
    }
}
