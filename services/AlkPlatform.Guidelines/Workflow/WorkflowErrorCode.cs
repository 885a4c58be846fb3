namespace AlkPlatform.Guidelines.Workflow;

/// <summary>Why a workflow action was refused; the portal maps these onto messages and HTTP statuses.</summary>
public enum WorkflowErrorCode
{
    NotFound,
    RoleRequired,
    InvalidState,
    SelfReview,
    AlreadyApproved,
    QuorumNotReached,
    OpenChangeRequests,
    HashMismatch,
    ValidationFailed,
    ScenariosFailed,
    QuestionSetFailed,
    EditConflict,
    ReasonRequired,
    GuidelineMismatch,
    GuidelineRetired,
    AlreadyExists,
}
