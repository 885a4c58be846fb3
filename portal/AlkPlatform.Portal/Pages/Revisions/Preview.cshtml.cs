using AlkPlatform.Guidelines.Workflow;
using AlkPlatform.Portal.Content;
using Microsoft.AspNetCore.Mvc;

namespace AlkPlatform.Portal.Pages.Revisions;

public sealed class PreviewModel(GuidelineWorkflow workflow) : WorkflowPage(workflow)
{
    [BindProperty(SupportsGet = true, Name = "id")]
    public string GuidelineId { get; set; } = "";

    [BindProperty(SupportsGet = true, Name = "n")]
    public int Number { get; set; }

    [BindProperty(SupportsGet = true, Name = "audience")]
    public string? Audience { get; set; }

    public ArticleView? Article { get; private set; }

    public IActionResult OnGet()
    {
        var revision = TryGetRevision(GuidelineId, Number);
        if (revision is null)
        {
            return NotFound();
        }
        var lastUpdated = string.IsNullOrEmpty(revision.Content.LastUpdated) ? revision.LastSavedAt.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) : revision.Content.LastUpdated;
        Article = new ArticleView(revision.Content, StateLabel(revision.State), ArticleView.NormaliseAudience(Audience), lastUpdated);
        return Page();
    }
}
