using AlkPlatform.Guidelines.Workflow;
using Microsoft.AspNetCore.Mvc;

namespace AlkPlatform.Portal.Pages.Releases;

public sealed class RetireModel(GuidelineWorkflow workflow) : WorkflowPage(workflow)
{
    [BindProperty(SupportsGet = true, Name = "id")]
    public string GuidelineId { get; set; } = "";

    [BindProperty]
    public string? Reason { get; set; }

    [BindProperty]
    public bool Confirmed { get; set; }

    public GuidelineSummary? Guideline { get; private set; }

    public IActionResult OnGet() => Load() ? Page() : NotFound();

    public IActionResult OnPost()
    {
        if (!Confirmed)
        {
            Refusal = "Tick the confirmation to retire the guideline.";
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Load() ? Page() : NotFound();
        }
        return Attempt(() =>
        {
            Workflow.Retire(Actor, GuidelineId, Reason ?? "");
            StatusMessage = $"Retired '{GuidelineId}': services now answer that it is offline.";
            return RedirectToPage("/Guidelines/History", new { id = GuidelineId });
        }, () => Load() ? Page() : NotFound());
    }

    private bool Load()
    {
        Guideline = Workflow.ListGuidelines().FirstOrDefault(g => g.GuidelineId == GuidelineId);
        return Guideline is not null;
    }
}
