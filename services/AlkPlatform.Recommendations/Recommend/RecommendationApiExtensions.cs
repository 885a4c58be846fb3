using AlkPlatform.Recommendations.Authentication;
using AlkPlatform.Recommendations.Diagnostics;
using AlkPlatform.Recommendations.Releases;

namespace AlkPlatform.Recommendations.Recommend;

public static class RecommendationApiExtensions
{
    /// <summary>The grpc.health.v1 service name orchestrators' liveness probes ask for.</summary>
    public const string LivenessService = "liveness";

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
        // "" (readiness) runs every check: NOT_SERVING until a release is active. "liveness" runs only the process check,
        // so a replica waiting for the portal's first release is kept, not restarted.
        builder.Services.AddGrpcHealthChecks(options =>
        {
            options.Services.Map("", _ => true);
            options.Services.Map(LivenessService, check => check.Tags.Contains(ProcessHealthCheck.Tag));
        })
            .AddCheck<ReleaseHealthCheck>("releases")
            .AddCheck<ProcessHealthCheck>("process", tags: [ProcessHealthCheck.Tag]);
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
