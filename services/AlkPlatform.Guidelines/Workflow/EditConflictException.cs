namespace AlkPlatform.Guidelines.Workflow;

/// <summary>A save based on a stale save number: says who saved since and what they changed, so nothing is silently lost.</summary>
public sealed class EditConflictException(
    string guidelineId, int revisionNumber, long expectedSaveNumber, long currentSaveNumber,
    string savedById, string savedByName, DateTimeOffset savedAt, IReadOnlyList<string> changesSince)
    : WorkflowException(
        WorkflowErrorCode.EditConflict,
        $"Revision {revisionNumber} of '{guidelineId}' was saved by {savedByName} at {savedAt:u} after you opened it " +
        $"(you started from save {expectedSaveNumber}; it is now at save {currentSaveNumber}). Changed since: " +
        (changesSince.Count == 0 ? "nothing in the content (metadata of the save only)" : string.Join("; ", changesSince)))
{
    public string GuidelineId { get; } = guidelineId;
    public int RevisionNumber { get; } = revisionNumber;
    public long ExpectedSaveNumber { get; } = expectedSaveNumber;
    public long CurrentSaveNumber { get; } = currentSaveNumber;
    public string SavedById { get; } = savedById;
    public string SavedByName { get; } = savedByName;
    public DateTimeOffset SavedAt { get; } = savedAt;
    public IReadOnlyList<string> ChangesSince { get; } = changesSince;
}
