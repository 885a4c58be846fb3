using AlkPlatform.Guidelines.Content;

namespace AlkPlatform.Guidelines.Workflow;

/// <summary>One revision of a guideline: its content, where it is in the lifecycle, and who made it.</summary>
public sealed record Revision
{
    public required string GuidelineId { get; init; }
    public required int Number { get; init; }
    public required RevisionState State { get; init; }
    public required GuidelineContent Content { get; init; }
    /// <summary>SHA-256 of the canonical content as it is now.</summary>
    public required string ContentHash { get; init; }
    /// <summary>The hash frozen on submit: what reviewers review and approvers sign. Null while a draft.</summary>
    public string? SubmittedHash { get; init; }
    public int? BasedOn { get; init; }
    public required string AuthorId { get; init; }
    public required string AuthorName { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    /// <summary>Increases on every save; a save must name the version it started from.</summary>
    public required long RowVersion { get; init; }
    public required string LastSavedById { get; init; }
    public required string LastSavedByName { get; init; }
    public required DateTimeOffset LastSavedAt { get; init; }
    public required DateTimeOffset StateChangedAt { get; init; }
    public DateTimeOffset? ScheduledGoLive { get; init; }
}

/// <summary>A review comment on a statement (or the whole revision when <see cref="StatementId"/> is null).</summary>
public sealed record ReviewComment
{
    public required long Id { get; init; }
    public required string GuidelineId { get; init; }
    public required int RevisionNumber { get; init; }
    public string? StatementId { get; init; }
    public long? ParentId { get; init; }
    public required string AuthorId { get; init; }
    public required string AuthorName { get; init; }
    public required string Text { get; init; }
    /// <summary>A "request changes" decision: while unresolved it blocks approval.</summary>
    public required bool IsChangeRequest { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public string? ResolvedById { get; init; }
    public string? ResolvedByName { get; init; }
    public DateTimeOffset? ResolvedAt { get; init; }
    public bool IsResolved => ResolvedAt is not null;
}

public sealed record GuidelineSummary(
    string GuidelineId, string Title, int LatestRevision, int? LiveRevision, string? LiveReleaseId,
    DateTimeOffset? RetiredAt, string? RetiredReason);

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

/// <summary>The result of walking the audit chain: intact, or the first entry where it breaks and why.</summary>
public sealed record AuditVerification(bool IsIntact, int EntriesChecked, long? FirstBrokenSequence, string? Problem);
