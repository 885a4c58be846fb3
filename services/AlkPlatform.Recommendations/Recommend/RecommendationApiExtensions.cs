using AlkPlatform.Guidelines.Storage;
using AlkPlatform.Recommendations.ReleaseFeed;
using AlkPlatform.Recommendations.Releases;

namespace AlkPlatform.Recommendations.Recommend;

public static class RecommendationApiExtensions
{
    /// <summary>The service's own SQLite file (releases it serves), under a data directory it creates.</summary>
    public static WebApplicationBuilder AddReleaseStore(this WebApplicationBuilder builder)
    {
        var dataDirectory = Path.GetFullPath(builder.Configuration["Storage:DataDirectory"] ?? "data", builder.Environment.ContentRootPath);
        builder.Services.AddSingleton(_ => SqliteDatabase.Open(Path.Combine(dataDirectory, "recommendations.db"), SqliteDatabase.ServiceScripts));
        builder.Services.AddSingleton<ReleaseStore>();
        return builder;
    }

    /// <summary>Releases are restored before the first request; new ones swap in atomically.</summary>
    public static WebApplicationBuilder AddRecommendationEngine(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ReleaseCatalog>();
        builder.Services.AddSingleton<ReleaseActivator>();
        builder.Services.AddHostedService<ReleaseRestoreService>();
        builder.Services.AddSingleton(new ReleaseFeedStatus { Configured = !string.IsNullOrWhiteSpace(builder.Configuration["ReleaseFeed:Address"]) });
        builder.Services.AddHostedService<ReleaseFeedSubscriber>();
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
