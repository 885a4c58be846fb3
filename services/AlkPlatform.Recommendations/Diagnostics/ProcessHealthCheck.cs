using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AlkPlatform.Recommendations.Diagnostics;

/// <summary>
/// The liveness check: healthy whenever the process can answer at all. Nothing a restart cannot fix belongs here — a
/// replica waiting for its first release, or one whose disk is full, is not helped by being killed.
/// </summary>
public sealed class ProcessHealthCheck : IHealthCheck
{
    public const string Tag = "live";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(HealthCheckResult.Healthy("The process answers"));
}
