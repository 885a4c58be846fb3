namespace AlkPlatform.Portal.Ops;

/// <summary>A replica (or a way of finding replicas) the ops pages could not ask, and why, in words an operator can act on.</summary>
public sealed record UnreachableReplica(string Name, string Problem);
