namespace AlkPlatform.Guidelines.Workflow;

/// <summary>Why a lifecycle action was refused; the portal maps these onto messages and HTTP statuses.</summary>
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
    EditConflict,
    ReasonRequired,
    GuidelineMismatch,
    GuidelineRetired,
    AlreadyExists,
}

/// <summary>A lifecycle action refused for a stated reason; nothing was changed.</summary>
public class WorkflowException(WorkflowErrorCode code, string message) : Exception(message)
{
    public WorkflowErrorCode Code { get; } = code;
}

/// <summary>A save based on a stale row version: says who saved since and what they changed, so nothing is silently lost.</summary>
public sealed class EditConflictException(
    string guidelineId, int revisionNumber, long expectedRowVersion, long currentRowVersion,
    string savedById, string savedByName, DateTimeOffset savedAt, IReadOnlyList<string> changesSince)
    : WorkflowException(
        WorkflowErrorCode.EditConflict,
        $"Revision {revisionNumber} of '{guidelineId}' was saved by {savedByName} at {savedAt:u} after you opened it " +
        $"(your version {expectedRowVersion}, now {currentRowVersion}). Changed since: " +
        (changesSince.Count == 0 ? "nothing in the content (metadata of the save only)" : string.Join("; ", changesSince)))
{
    public string GuidelineId { get; } = guidelineId;
    public int RevisionNumber { get; } = revisionNumber;
    public long ExpectedRowVersion { get; } = expectedRowVersion;
    public long CurrentRowVersion { get; } = currentRowVersion;
    public string SavedById { get; } = savedById;
    public string SavedByName { get; } = savedByName;
    public DateTimeOffset SavedAt { get; } = savedAt;
    public IReadOnlyList<string> ChangesSince { get; } = changesSince;
}

/// <summary>A gate (submit or publish) refused the content; each problem names where it is and why.</summary>
public sealed class GateFailedException(WorkflowErrorCode code, string gate, IReadOnlyList<Content.ValidationError> problems)
    : WorkflowException(code, $"{gate} refused: " + string.Join("; ", problems))
{
    public IReadOnlyList<Content.ValidationError> Problems { get; } = problems;
}
