using AlkPlatform.Guidelines.Content;

namespace AlkPlatform.Guidelines.Workflow;

/// <summary>One revision of a guideline: its content, where it is in the workflow, and who made it.</summary>
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
    /// <summary>The number of the latest save (1 on creation, one more on every save); a save must name the save it started from.</summary>
    public required long SaveNumber { get; init; }
    public required string LastSavedById { get; init; }
    public required string LastSavedByName { get; init; }
    public required DateTimeOffset LastSavedAt { get; init; }
    public required DateTimeOffset StateChangedAt { get; init; }
    public DateTimeOffset? ScheduledGoLive { get; init; }
}
