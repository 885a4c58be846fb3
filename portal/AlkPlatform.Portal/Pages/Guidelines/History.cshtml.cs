using AlkPlatform.Guidelines.Workflow;
using AlkPlatform.Portal.Authorization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace AlkPlatform.Portal.Pages.Guidelines;

public sealed class HistoryModel(GuidelineWorkflow workflow, IAuthorizationService authorization) : WorkflowPage(workflow)
{
    [BindProperty(SupportsGet = true, Name = "id")]
    public string GuidelineId { get; set; } = "";

    public GuidelineSummary? Guideline { get; private set; }
    public IReadOnlyList<Revision> Revisions { get; private set; } = [];

    public IActionResult OnGet() => Load() ? Page() : NotFound();

    /// <summary>Starts a new draft copied from any earlier revision.</summary>
    public async Task<IActionResult> OnPostStartDraftAsync(int from)
    {
        if (!(await authorization.AuthorizeAsync(User, PortalPolicies.Edit)).Succeeded)
        {
            return Forbid();
        }
        return Attempt(() =>
        {
            var draft = Workflow.StartDraft(Actor, GuidelineId, from);
            StatusMessage = $"Revision {draft.Number} started from revision {from}.";
            return RedirectToPage("/Revisions/Edit", new { id = GuidelineId, n = draft.Number });
        }, () => Load() ? Page() : NotFound());
    }

    private bool Load()
    {
        Guideline = Workflow.ListGuidelines().FirstOrDefault(g => g.GuidelineId == GuidelineId);
        Revisions = Guideline is null ? [] : [.. Workflow.ListRevisions(GuidelineId).OrderByDescending(r => r.Number)];
        return Guideline is not null;
    }
}
