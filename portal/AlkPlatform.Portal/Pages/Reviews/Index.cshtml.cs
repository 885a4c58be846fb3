using AlkPlatform.Guidelines.Workflow;

namespace AlkPlatform.Portal.Pages.Reviews;

public sealed class IndexModel(GuidelineWorkflow workflow) : WorkflowPage(workflow)
{
    public IReadOnlyList<Revision> InReview { get; private set; } = [];

    public void OnGet() => InReview = [.. Workflow.ListGuidelines()
        .SelectMany(g => Workflow.ListRevisions(g.GuidelineId))
        .Where(r => r.State is RevisionState.Submitted or RevisionState.UnderReview or RevisionState.ChangesRequested or RevisionState.Approved)
        .OrderByDescending(r => r.StateChangedAt)];
}
