using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AlkPlatform.Recommendations.EvaluationLogs;

/// <summary>
/// Degraded, naming the error, while the latest commit of the evaluation log failed (disk full, read-only): answers are
/// withheld until a commit succeeds. Degraded rather than Unhealthy, so traffic keeps coming and the first commit that
/// succeeds again clears it.
/// </summary>
public sealed class EvaluationLogHealthCheck(GroupCommitLogWriter writer) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(writer.LastFailure is { } failure
            ? HealthCheckResult.Degraded($"The evaluation log cannot commit, so answers are withheld (Unavailable): {failure}")
            : HealthCheckResult.Healthy("The evaluation log is committing"));
}
