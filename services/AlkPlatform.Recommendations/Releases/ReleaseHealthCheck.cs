using AlkPlatform.Recommendations.ReleaseFeed;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AlkPlatform.Recommendations.Releases;

/// <summary>
/// Healthy while releases are served and the feed (if configured) is connected; Degraded while serving the last good
/// release without a feed; Unhealthy with nothing to serve.
/// </summary>
public sealed class ReleaseHealthCheck(ReleaseCatalog catalog, ReleaseFeedStatus feed) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var snapshot = catalog.Current;
        var serving = string.Join(", ", snapshot.Live.Values.Select(r => r.Release.ReleaseId));
        HealthCheckResult result;
        if (snapshot.Live.IsEmpty)
        {
            result = HealthCheckResult.Unhealthy("No guideline release is being served.");
        }
        else if (feed.Configured && !feed.Connected)
        {
            result = HealthCheckResult.Degraded($"Release feed disconnected ({feed.LastError}); serving last good {serving}");
        }
        else
        {
            result = HealthCheckResult.Healthy($"Serving {serving}");
        }
        return Task.FromResult(result);
    }
}
