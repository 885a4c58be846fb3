namespace AlkPlatform.Guidelines.Workflow;

/// <summary>Where a revision is in the workflow. Approved, Live and later never go back: a change needs a new revision.</summary>
public enum RevisionState
{
    Draft,
    Submitted,
    UnderReview,
    ChangesRequested,
    Approved,
    Live,
    Superseded,
    Withdrawn,
    Retired,
}
