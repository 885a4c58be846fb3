namespace AlkPlatform.Guidelines.Workflow;

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
