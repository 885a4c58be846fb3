using AlkPlatform.Contracts.Recommendation.V1;
using AlkPlatform.Portal.Ops;
using Grpc.Health.V1;

namespace AlkPlatform.Portal.Pages.Ops;

/// <summary>One replica's health, its release feed and the releases it serves, as the ops start page shows them.</summary>
public sealed record ReplicaStatus(RecommendationServiceReplica Replica, HealthCheckResponse.Types.ServingStatus Health, ListGuidelinesResponse Guidelines);
