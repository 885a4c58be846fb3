namespace AlkPlatform.Guidelines.Workflow;

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
