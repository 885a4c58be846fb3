using AlkPlatform.Contracts.Ops.V1;
using AlkPlatform.Contracts.Recommendation.V1;
using Grpc.Core;
using Grpc.Health.V1;
using Microsoft.Extensions.Options;

namespace AlkPlatform.Portal.Ops;

/// <summary>
/// The recommendation service as the ops pages reach it. The typed clients are resolved only once an address is
/// configured, so "not configured" is something a page can say rather than a failure to construct it.
/// </summary>
public sealed class RecommendationServiceConnection(IOptions<RecommendationServiceOptions> options, IServiceProvider services)
{
    public Uri? Address => options.Value.AddressUri;

    public bool IsConfigured => Address is not null;

    public EvaluationLogService.EvaluationLogServiceClient EvaluationLogs => Resolve<EvaluationLogService.EvaluationLogServiceClient>();

    public RecommendationService.RecommendationServiceClient Recommendations => Resolve<RecommendationService.RecommendationServiceClient>();

    public Health.HealthClient Health => Resolve<Health.HealthClient>();

    /// <summary>Options for a unary call: its deadline, and the page request's cancellation.</summary>
    public CallOptions Unary(CancellationToken cancellationToken) =>
        new(deadline: DateTime.UtcNow + options.Value.CallTimeout, cancellationToken: cancellationToken);

    /// <summary>What went wrong, in words an operator can act on.</summary>
    public string Describe(RpcException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception.StatusCode switch
        {
            StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Cancelled =>
                $"The recommendation service at {Address} cannot be reached ({exception.StatusCode}: {exception.Status.Detail}). "
                + $"Check that it is running and that {RecommendationServiceOptions.Section}:Address points at its gRPC endpoint.",
            StatusCode.Unauthenticated or StatusCode.PermissionDenied =>
                $"The recommendation service refused the portal's app token ({exception.Status.Detail}). Check "
                + $"{RecommendationServiceOptions.Section}:Scope (api://{{the service's application id}}/.default) and that the portal's app "
                + "holds the service's EvaluationLogs.Read app role (deploy/README.md).",
            StatusCode.Internal or StatusCode.Unknown => $"The recommendation service failed to answer ({exception.StatusCode}: {exception.Status.Detail}).",
            StatusCode.ResourceExhausted => $"The recommendation service is too busy to answer now ({exception.Status.Detail}). Try again shortly.",
            _ => exception.Status.Detail,
        };
    }

    public static string NotConfiguredMessage =>
        $"The portal is not connected to a recommendation service: set {RecommendationServiceOptions.Section}:Address to the "
        + $"service's gRPC URL and {RecommendationServiceOptions.Section}:Scope to api://{{its application id}}/.default.";

    private T Resolve<T>() where T : class => IsConfigured
        ? services.GetRequiredService<T>()
        : throw new InvalidOperationException(NotConfiguredMessage);
}
