using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AlkPlatform.Portal.Probes;

public static class HealthEndpoints
{
    public const string Readiness = "/healthz";
    public const string Liveness = "/healthz/live";

    private const string LiveTag = "live";

    public static IServiceCollection AddPortalHealth(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<ContentDatabaseHealthCheck>("content-database")
            .AddCheck("process", () => HealthCheckResult.Healthy("The process answers"), tags: [LiveTag]);
        return services;
    }

    /// <summary>
    /// Anonymous, on every endpoint (orchestrators probe without signing in; the container probes the cleartext feed port):
    /// <see cref="Readiness"/> runs every check, <see cref="Liveness"/> only whether the process answers. They say
    /// Healthy or Unhealthy and nothing more, so they tell an anonymous caller nothing about the content.
    /// </summary>
    public static WebApplication MapPortalHealth(this WebApplication app)
    {
        app.MapHealthChecks(Readiness).AllowAnonymous();
        app.MapHealthChecks(Liveness, new() { Predicate = check => check.Tags.Contains(LiveTag) }).AllowAnonymous();
        return app;
    }
}
