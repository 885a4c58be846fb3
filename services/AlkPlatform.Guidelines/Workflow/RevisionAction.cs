namespace AlkPlatform.Guidelines.Workflow;

/// <summary>Every action the workflow knows; each is checked against role, state and the review rules.</summary>
public enum RevisionAction
{
    StartDraft,
    SaveDraft,
    Submit,
    StartReview,
    Comment,
    RequestChanges,
    ResolveComment,
    Approve,
    Revise,
    Withdraw,
    Publish,
    Rollback,
    Retire,
}
