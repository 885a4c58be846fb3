namespace AlkPlatform.Guidelines.Workflow;

/// <summary>One link of the audit chain: <see cref="EntryHash"/> covers every field and <see cref="PreviousHash"/>.</summary>
public sealed record AuditEntry
{
    public required long Sequence { get; init; }
    public required DateTimeOffset At { get; init; }
    public required string ActorId { get; init; }
    public required string ActorName { get; init; }
    public required string Action { get; init; }
    public required string GuidelineId { get; init; }
    public int? RevisionNumber { get; init; }
    public string? ContentHash { get; init; }
    public string? Reason { get; init; }
    public required string PreviousHash { get; init; }
    public required string EntryHash { get; init; }
}
