using AlkPlatform.Recommendations.Authentication;
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
        // Load balancers and orchestrators probe health without a token.
        app.MapGrpcHealthChecksService().AllowAnonymous();
        // Reflection lists every RPC: open in Development (README's buf curl), elsewhere only to apps holding a role.
        var reflection = app.MapGrpcReflectionService();
        if (app.Environment.IsDevelopment())
        {
            reflection.AllowAnonymous();
        }
        else
        {
            reflection.RequireAuthorization(CallerPolicies.AnyAppRole);
        }
        return app;
    }
}
