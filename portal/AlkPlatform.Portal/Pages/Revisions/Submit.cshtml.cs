using AlkPlatform.Guidelines.Content;
using AlkPlatform.Guidelines.Workflow;
using Microsoft.AspNetCore.Mvc;

namespace AlkPlatform.Portal.Pages.Revisions;

public sealed class SubmitModel(GuidelineWorkflow workflow) : WorkflowPage(workflow)
{
    [BindProperty(SupportsGet = true, Name = "id")]
    public string GuidelineId { get; set; } = "";

    [BindProperty(SupportsGet = true, Name = "n")]
    public int Number { get; set; }

    [BindProperty]
    public long SaveNumber { get; set; }

    public Revision? Revision { get; private set; }
    public IReadOnlyList<ValidationError> Problems { get; private set; } = [];

    public IActionResult OnGet()
    {
        if (!Load())
        {
            return NotFound();
        }
        SaveNumber = Revision!.SaveNumber;
        return Page();
    }

    public IActionResult OnPost() => Attempt(() =>
    {
        var submitted = Workflow.Submit(Actor, GuidelineId, Number, SaveNumber);
        StatusMessage = $"Revision {Number} submitted for review as {ShortHash(submitted.SubmittedHash)}.";
        return RedirectToPage("/Guidelines/History", new { id = GuidelineId });
    }, () => Load() ? Page() : NotFound());

    private bool Load()
    {
        Revision = TryGetRevision(GuidelineId, Number);
        Problems = Revision is null ? [] : ContentGates.CheckSubmit(Revision.Content);
        return Revision is not null;
    }
}
