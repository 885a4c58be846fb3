using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AlkPlatform.Recommendations.Releases;

/// <summary>Healthy while at least one release is served; the description names what is served.</summary>
public sealed class ReleaseHealthCheck(ReleaseCatalog catalog) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var snapshot = catalog.Current;
        var serving = string.Join(", ", snapshot.Live.Values.Select(r => r.Release.ReleaseId));
        return Task.FromResult(snapshot.Live.IsEmpty
            ? HealthCheckResult.Unhealthy("No guideline release is being served.")
            : HealthCheckResult.Healthy($"Serving {serving}"));
    }
}
