using AlkPlatform.Guidelines.Workflow;

namespace AlkPlatform.Portal.Pages.Guidelines;

public sealed class IndexModel(GuidelineWorkflow workflow) : WorkflowPage(workflow)
{
    public IReadOnlyList<GuidelineSummary> Guidelines { get; private set; } = [];

    public void OnGet() => Guidelines = Workflow.ListGuidelines();
}
