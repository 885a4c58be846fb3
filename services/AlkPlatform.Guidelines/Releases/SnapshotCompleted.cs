namespace AlkPlatform.Guidelines.Releases;

/// <summary>Marks the end of the initial snapshot; every later event is a change.</summary>
public sealed record SnapshotCompleted : ReleaseFeedEvent;
