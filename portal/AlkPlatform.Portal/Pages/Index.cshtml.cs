using AlkPlatform.Guidelines.Workflow;

namespace AlkPlatform.Portal.Pages;

public sealed class IndexModel(GuidelineWorkflow workflow, TimeProvider time) : WorkflowPage(workflow)
{
    public sealed record LiveRow(GuidelineSummary Guideline, global::AlkPlatform.Guidelines.Releases.Release? Release, TimeSpan? Age, string? ReviewDue, bool ReviewOverdue);

    public IReadOnlyList<Revision> MyDrafts { get; private set; } = [];
    public IReadOnlyList<Revision> ReviewsWaiting { get; private set; } = [];
    public IReadOnlyList<LiveRow> Live { get; private set; } = [];
    public IReadOnlyList<AuditEntry> RecentActivity { get; private set; } = [];

    public void OnGet()
    {
        var me = Actor;
        var now = time.GetUtcNow();
        var guidelines = Workflow.ListGuidelines();
        var revisions = guidelines.SelectMany(g => Workflow.ListRevisions(g.GuidelineId)).ToList();
        MyDrafts = [.. revisions.Where(r => r.AuthorId == me.Id && r.State is RevisionState.Draft or RevisionState.ChangesRequested)];
        ReviewsWaiting = me.Has(Role.Reviewer) || me.Has(Role.Approver)
            ? [.. revisions.Where(r => r.AuthorId != me.Id && r.State is RevisionState.Submitted or RevisionState.UnderReview)]
            : [];
        Live = [.. guidelines.Select(g =>
        {
            var release = Workflow.GetLiveRelease(g.GuidelineId);
            var due = g.LiveRevision is { } n ? Workflow.GetRevision(g.GuidelineId, n).Content.NextReviewDue : null;
            var overdue = DateOnly.TryParse(due, System.Globalization.CultureInfo.InvariantCulture, out var d) && d < DateOnly.FromDateTime(now.UtcDateTime);
            return new LiveRow(g, release, release is null ? null : now - release.PublishedAt, due, overdue);
        })];
        RecentActivity = [.. Workflow.GetAuditTrail().OrderByDescending(e => e.Sequence).Take(10)];
    }

    public static string Age(TimeSpan? age) => age switch
    {
        null => "–",
        { TotalDays: >= 2 } a => $"{(int)a.TotalDays} days",
        { TotalHours: >= 2 } a => $"{(int)a.TotalHours} hours",
        { } a => $"{Math.Max(0, (int)a.TotalMinutes)} minutes",
    };
}
