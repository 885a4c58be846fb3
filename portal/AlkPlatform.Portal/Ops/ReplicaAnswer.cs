namespace AlkPlatform.Portal.Ops;

/// <summary>What one replica answered to a call the ops pages made of every replica.</summary>
public sealed record ReplicaAnswer<T>(RecommendationServiceReplica Replica, T Value);
