namespace AlkPlatform.Portal.Pages.Ops;

/// <summary>
/// Where the next log page starts on one replica: its own page token (empty = its newest record) and how many records
/// after it the portal already showed; <see cref="Done"/> once its last record was shown.
/// </summary>
public sealed record ReplicaPosition(string Token, int Skip, bool Done);
