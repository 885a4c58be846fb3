using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AlkPlatform.Recommendations.Authentication;

/// <summary>Degraded, and says why, while the service answers callers without tokens.</summary>
public sealed class AuthenticationHealthCheck(CallerAuthentication authentication) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(authentication.RequiresTokens
            ? HealthCheckResult.Healthy(authentication.Description)
            : HealthCheckResult.Degraded(authentication.Description));
}
