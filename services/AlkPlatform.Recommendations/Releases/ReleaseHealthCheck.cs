using AlkPlatform.Recommendations.ReleaseFeed;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AlkPlatform.Recommendations.Releases;

/// <summary>
/// Healthy while releases are served and the feed (if configured) is connected with nothing refused; Degraded while the
/// last good release is served but the feed is down, an event was refused, or a persisted event is no longer served —
/// naming each; Unhealthy with nothing to serve.
/// </summary>
public sealed class ReleaseHealthCheck(ReleaseCatalog catalog, ReleaseFeedStatus feed) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var snapshot = catalog.Current;
        var serving = string.Join(", ", snapshot.Live.Values.Select(r => r.Release.ReleaseId));
        var problems = feed.Problems;
        HealthCheckResult result;
        if (snapshot.Live.IsEmpty)
        {
            result = HealthCheckResult.Unhealthy(string.Join(" | ", ["No guideline release is being served.", .. problems]));
        }
        else if (problems.Count > 0)
        {
            result = HealthCheckResult.Degraded($"{string.Join(" | ", problems)}; serving last good {serving}");
        }
        else
        {
            result = HealthCheckResult.Healthy($"Serving {serving}");
        }
        return Task.FromResult(result);
    }
}
