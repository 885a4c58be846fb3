using AlkPlatform.Guidelines.Diffs;
using AlkPlatform.Guidelines.Workflow;
using Microsoft.AspNetCore.Mvc;

namespace AlkPlatform.Portal.Pages.Revisions;

public sealed class ImpactModel(GuidelineWorkflow workflow) : WorkflowPage(workflow)
{
    [BindProperty(SupportsGet = true, Name = "id")]
    public string GuidelineId { get; set; } = "";

    [BindProperty(SupportsGet = true, Name = "n")]
    public int Number { get; set; }

    public ImpactReport? Report { get; private set; }

    public IActionResult OnGet() => TryGetRevision(GuidelineId, Number) is null ? NotFound() : Attempt(() =>
    {
        Report = Workflow.PreviewImpact(GuidelineId, Number);
        return Page();
    }, Page);
}
