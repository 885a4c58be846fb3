using AlkPlatform.Guidelines.Content;
using AlkPlatform.Guidelines.Workflow;
using AlkPlatform.Portal.Content;
using Microsoft.AspNetCore.Mvc;

namespace AlkPlatform.Portal.Pages.Revisions;

public sealed class EditModel(GuidelineWorkflow workflow, MarkdownRenderer markdown) : WorkflowPage(workflow)
{
    [BindProperty(SupportsGet = true, Name = "id")]
    public string GuidelineId { get; set; } = "";

    [BindProperty(SupportsGet = true, Name = "n")]
    public int Number { get; set; }

    [BindProperty]
    public long RowVersion { get; set; }

    [BindProperty]
    public RevisionForm Form { get; set; } = new();

    public Revision? Revision { get; private set; }
    public IReadOnlyList<ReviewComment> Comments { get; private set; } = [];
    /// <summary>Submit-gate problems of the content as saved (or as just posted), keyed by the statement they concern.</summary>
    public IReadOnlyList<ValidationError> Problems { get; private set; } = [];
    public IReadOnlyDictionary<string, List<string>> StatementProblems { get; private set; } = new Dictionary<string, List<string>>();
    public EditConflictException? Conflict { get; private set; }

    public IActionResult OnGet()
    {
        if (!Load())
        {
            return NotFound();
        }
        Form = RevisionForm.From(Revision!.Content);
        RowVersion = Revision.RowVersion;
        Check(Revision.Content);
        return Page();
    }

    public IActionResult OnPostSave()
    {
        if (!Load())
        {
            return NotFound();
        }
        var content = Form.ApplyTo(Revision!.Content);
        Check(content);
        try
        {
            var saved = Workflow.SaveDraft(Actor, GuidelineId, Number, content, RowVersion);
            StatusMessage = Problems.Count == 0
                ? $"Saved revision {Number}. It is ready to submit."
                : $"Saved revision {Number}. {Problems.Count} problem(s) must be fixed before it can be submitted.";
            return RedirectToPage(new { id = GuidelineId, n = Number });
        }
        catch (EditConflictException conflict)
        {
            // Keep what the user typed; tell them who saved first and what changed, so nothing is silently lost.
            Conflict = conflict;
            Refusal = conflict.Message;
            Response.StatusCode = StatusCodes.Status409Conflict;
            return Page();
        }
        catch (WorkflowException ex)
        {
            Refusal = ex.Message;
            Response.StatusCode = ex.Code == WorkflowErrorCode.RoleRequired ? StatusCodes.Status403Forbidden : StatusCodes.Status409Conflict;
            return Page();
        }
    }

    public IActionResult OnPostRevise() => Attempt(() =>
    {
        var draft = Workflow.Revise(Actor, GuidelineId, Number);
        StatusMessage = $"Revision {Number} continues as draft revision {draft.Number}.";
        return RedirectToPage(new { id = GuidelineId, n = draft.Number });
    }, () => Load() ? Page() : NotFound());

    /// <summary>Live preview of statement Markdown, rendered and sanitised exactly as the article renders it.</summary>
    public ContentResult OnPostPreview([FromForm] string? markdownText) =>
        Content(markdown.ToSafeHtml(markdownText), "text/html; charset=utf-8");

    private bool Load()
    {
        Revision = TryGetRevision(GuidelineId, Number);
        if (Revision is null)
        {
            return false;
        }
        Comments = Workflow.GetComments(GuidelineId, Number);
        return true;
    }

    private void Check(GuidelineContent content)
    {
        Problems = ContentGates.CheckSubmit(content);
        var byStatement = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        for (var s = 0; s < content.Sections.Count; s++)
        {
            for (var i = 0; i < content.Sections[s].Statements.Count; i++)
            {
                var prefix = $"sections[{s}].statements[{i}]";
                var id = content.Sections[s].Statements[i].Id;
                foreach (var problem in Problems.Where(p => p.Path.StartsWith(prefix, StringComparison.Ordinal)))
                {
                    (byStatement.TryGetValue(id, out var list) ? list : byStatement[id] = []).Add(problem.Reason);
                }
            }
        }
        StatementProblems = byStatement;
    }
}
