using AlkPlatform.Guidelines.Diffs;
using AlkPlatform.Guidelines.Workflow;
using Microsoft.AspNetCore.Mvc;

namespace AlkPlatform.Portal.Pages.Revisions;

public sealed class CompareModel(GuidelineWorkflow workflow) : WorkflowPage(workflow)
{
    [BindProperty(SupportsGet = true, Name = "id")]
    public string GuidelineId { get; set; } = "";

    [BindProperty(SupportsGet = true, Name = "from")]
    public int? From { get; set; }

    [BindProperty(SupportsGet = true, Name = "to")]
    public int? To { get; set; }

    /// <summary>"Compare with live": <see cref="From"/> becomes the live revision.</summary>
    [BindProperty(SupportsGet = true, Name = "live")]
    public bool AgainstLive { get; set; }

    public IReadOnlyList<Revision> Revisions { get; private set; } = [];
    public RevisionDiff? Diff { get; private set; }

    public IActionResult OnGet()
    {
        Revisions = Workflow.ListRevisions(GuidelineId);
        if (Revisions.Count == 0)
        {
            return NotFound();
        }
        var live = Workflow.ListGuidelines().First(g => g.GuidelineId == GuidelineId).LiveRevision;
        To ??= Revisions.Max(r => r.Number);
        if (AgainstLive || From is null)
        {
            From = live ?? Revisions.Min(r => r.Number);
        }
        return Attempt(() =>
        {
            Diff = Workflow.Diff(GuidelineId, From.Value, To.Value);
            return Page();
        }, Page);
    }

    public static IEnumerable<DiffPiece> Side(IReadOnlyList<DiffPiece> pieces, bool before) =>
        pieces.Where(p => p.Kind == DiffPieceKind.Unchanged || p.Kind == (before ? DiffPieceKind.Deleted : DiffPieceKind.Inserted));
}
