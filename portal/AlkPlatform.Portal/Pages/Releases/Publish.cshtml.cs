using AlkPlatform.Guidelines.Content;
using AlkPlatform.Guidelines.Releases;
using AlkPlatform.Guidelines.Workflow;
using Microsoft.AspNetCore.Mvc;

namespace AlkPlatform.Portal.Pages.Releases;

public sealed class PublishModel(GuidelineWorkflow workflow) : WorkflowPage(workflow)
{
    [BindProperty(SupportsGet = true, Name = "id")]
    public string GuidelineId { get; set; } = "";

    [BindProperty(SupportsGet = true, Name = "n")]
    public int Number { get; set; }

    [BindProperty]
    public bool Confirmed { get; set; }

    public Revision? Revision { get; private set; }
    public Release? Live { get; private set; }
    public IReadOnlyList<ReleaseApproval> Approvals { get; private set; } = [];
    public IReadOnlyList<ValidationError> ScenarioProblems { get; private set; } = [];

    public IActionResult OnGet() => Load() ? Page() : NotFound();

    public IActionResult OnPost()
    {
        if (!Confirmed)
        {
            Refusal = "Tick the confirmation to publish: this revision will replace the live release for every service.";
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Load() ? Page() : NotFound();
        }
        return Attempt(() =>
        {
            var release = Workflow.Publish(Actor, GuidelineId, Number);
            StatusMessage = $"Published: release {release.ReleaseId} is live.";
            return RedirectToPage("/Guidelines/History", new { id = GuidelineId });
        }, () => Load() ? Page() : NotFound());
    }

    private bool Load()
    {
        Revision = TryGetRevision(GuidelineId, Number);
        if (Revision is null)
        {
            return false;
        }
        Live = Workflow.GetLiveRelease(GuidelineId);
        Approvals = Workflow.GetApprovals(GuidelineId, Number);
        ScenarioProblems = ContentGates.CheckScenarios(Revision.Content);
        return true;
    }
}
