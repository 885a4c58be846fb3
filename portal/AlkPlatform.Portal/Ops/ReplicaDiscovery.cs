namespace AlkPlatform.Portal.Ops;

/// <summary>The replicas found for one page, and what could not be found (a replica DNS name that did not resolve).</summary>
public sealed record ReplicaDiscovery(IReadOnlyList<RecommendationServiceReplica> Replicas, IReadOnlyList<UnreachableReplica> Problems);
