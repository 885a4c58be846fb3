using AlkPlatform.Guidelines.Workflow;
using Microsoft.AspNetCore.Mvc;

namespace AlkPlatform.Portal.Pages.Releases;

public sealed class RollbackModel(GuidelineWorkflow workflow) : WorkflowPage(workflow)
{
    [BindProperty(SupportsGet = true, Name = "id")]
    public string GuidelineId { get; set; } = "";

    [BindProperty]
    public int? ToRevision { get; set; }

    [BindProperty]
    public string? Reason { get; set; }

    [BindProperty]
    public bool Confirmed { get; set; }

    public IReadOnlyList<Revision> Candidates { get; private set; } = [];
    public int? LiveRevision { get; private set; }

    public IActionResult OnGet() => Load() ? Page() : NotFound();

    public IActionResult OnPost()
    {
        if (!Confirmed || ToRevision is null)
        {
            Refusal = "Choose the revision to roll back to and tick the confirmation.";
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Load() ? Page() : NotFound();
        }
        return Attempt(() =>
        {
            var release = Workflow.Rollback(Actor, GuidelineId, ToRevision.Value, Reason ?? "");
            StatusMessage = $"Rolled back: release {release.ReleaseId} is live again.";
            return RedirectToPage("/Guidelines/History", new { id = GuidelineId });
        }, () => Load() ? Page() : NotFound());
    }

    private bool Load()
    {
        var guideline = Workflow.ListGuidelines().FirstOrDefault(g => g.GuidelineId == GuidelineId);
        LiveRevision = guideline?.LiveRevision;
        Candidates = guideline is null ? [] : [.. Workflow.ListRevisions(GuidelineId).Where(r => r.State == RevisionState.Superseded).OrderByDescending(r => r.Number)];
        return guideline is not null;
    }
}
