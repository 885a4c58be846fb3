namespace AlkPlatform.Guidelines.Workflow;

/// <summary>The action names the audit trail records; one per workflow action.</summary>
public static class AuditActions
{
    public const string BootstrapSeeded = "bootstrap-seeded";
    public const string GuidelineCreated = "guideline-created";
    public const string DraftStarted = "draft-started";
    public const string DraftSaved = "draft-saved";
    public const string Submitted = "submitted";
    public const string ReviewStarted = "review-started";
    public const string Commented = "commented";
    public const string ChangesRequested = "changes-requested";
    public const string CommentResolved = "comment-resolved";
    public const string Approved = "approved";
    public const string QuorumReached = "quorum-reached";
    public const string Revised = "revised";
    public const string Withdrawn = "withdrawn";
    public const string PublishScheduled = "publish-scheduled";
    public const string ScheduledPublishFailed = "scheduled-publish-failed";
    public const string Published = "published";
    public const string RolledBack = "rolled-back";
    public const string Retired = "retired";
    public const string FeedEventSigned = "feed-event-signed";
}
