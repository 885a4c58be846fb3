using AlkPlatform.Contracts.Ops.V1;
using AlkPlatform.Contracts.Recommendation.V1;
using Grpc.Health.V1;
using Grpc.Net.Client;

namespace AlkPlatform.Portal.Ops;

/// <summary>One replica of the recommendation service as the ops pages reach it: its address, the name the pages show, its clients.</summary>
public sealed class RecommendationServiceReplica(Uri address, GrpcChannel channel)
{
    public Uri Address { get; } = address;

    /// <summary>How the pages name the replica: host and port (a pod's name when configured by name, its address when discovered).</summary>
    public string Name { get; } = address.Authority;

    public EvaluationLogService.EvaluationLogServiceClient EvaluationLogs { get; } = new(channel);

    public RecommendationService.RecommendationServiceClient Recommendations { get; } = new(channel);

    public Health.HealthClient Health { get; } = new(channel);

    public ReleaseActivationService.ReleaseActivationServiceClient ReleaseActivations { get; } = new(channel);
}
