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
    public long SaveNumber { get; set; }

    [BindProperty]
    public RevisionForm Form { get; set; } = new();

    [BindProperty]
    public string? NewSectionTitle { get; set; }

    [BindProperty]
    public int NewSectionLevel { get; set; } = 2;

    /// <summary>Anchor of the "add a section" fields, where a refused section add shows its problems.</summary>
    public const string NewSectionAnchor = "new-section";

    public Revision? Revision { get; private set; }
    public IReadOnlyList<ReviewComment> Comments { get; private set; } = [];
    /// <summary>Submit-gate problems of the content as saved (or as just posted), keyed by the statement they concern.</summary>
    public IReadOnlyList<ValidationError> Problems { get; private set; } = [];
    public IReadOnlyDictionary<string, List<string>> StatementProblems { get; private set; } = new Dictionary<string, List<string>>();
    public EditConflictException? Conflict { get; private set; }
    /// <summary>Why a structural edit was refused, keyed by the statement or section id (or <see cref="NewSectionAnchor"/>).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<ValidationError>> StructureProblems { get; private set; } = new Dictionary<string, IReadOnlyList<ValidationError>>();

    public IActionResult OnGet()
    {
        if (!Load())
        {
            return NotFound();
        }
        Form = RevisionForm.From(Revision!.Content);
        SaveNumber = Revision.SaveNumber;
        Check(Revision.Content);
        return Page();
    }

    public IActionResult OnPostSave() => SaveEdited(content => (content, null), $"Saved revision {Number}.");

    public IActionResult OnPostAddStatement(string? sectionId) => SaveEdited(content =>
    {
        var (added, id) = DraftStructure.AddStatement(content, sectionId ?? "");
        return (added, $"edit-{id}");
    }, $"Added a statement to section '{sectionId}' and saved revision {Number}.");

    public IActionResult OnPostRemoveStatement(string? statementId) => SaveEdited(
        content => (DraftStructure.RemoveStatement(content, statementId ?? ""), "statements"),
        $"Removed statement '{statementId}' and saved revision {Number}.", refusedAt: statementId);

    public IActionResult OnPostAddSection() => SaveEdited(content =>
    {
        var (added, id) = DraftStructure.AddSection(content, NewSectionTitle ?? "", NewSectionLevel);
        return (added, $"section-{id}");
    }, $"Added section '{NewSectionTitle?.Trim()}' and saved revision {Number}.", refusedAt: NewSectionAnchor);

    public IActionResult OnPostRemoveSection(string? sectionId) => SaveEdited(
        content => (DraftStructure.RemoveSection(content, sectionId ?? ""), "statements"),
        $"Removed section '{sectionId}' and saved revision {Number}.", refusedAt: sectionId);

    public IActionResult OnPostRevise() => Attempt(() =>
    {
        var draft = Workflow.Revise(Actor, GuidelineId, Number);
        StatusMessage = $"Revision {Number} continues as draft revision {draft.Number}.";
        return RedirectToPage(new { id = GuidelineId, n = draft.Number });
    }, () => Load() ? Page() : NotFound());

    /// <summary>Live preview of statement Markdown, rendered and sanitised exactly as the article renders it.</summary>
    public ContentResult OnPostPreview([FromForm] string? markdownText) =>
        Content(markdown.ToSafeHtml(markdownText), "text/html; charset=utf-8");

    /// <summary>
    /// Applies the posted form, then <paramref name="edit"/> (a structural change from the domain, or none), and saves with the
    /// editor's save number; a refusal keeps everything the user typed and shows why beside <paramref name="refusedAt"/>.
    /// </summary>
    private IActionResult SaveEdited(Func<GuidelineContent, (GuidelineContent Content, string? Fragment)> edit, string done, string? refusedAt = null)
    {
        if (!Load())
        {
            return NotFound();
        }
        var content = Form.ApplyTo(Revision!.Content);
        Check(content);
        try
        {
            var (edited, fragment) = edit(content);
            Check(edited);
            Workflow.SaveDraft(Actor, GuidelineId, Number, edited, SaveNumber);
            StatusMessage = Problems.Count == 0
                ? $"{done} It is ready to submit."
                : $"{done} {Problems.Count} problem(s) must be fixed before it can be submitted.";
            return RedirectToPage(null, null, new { id = GuidelineId, n = Number }, fragment);
        }
        catch (EditConflictException conflict)
        {
            // Keep what the user typed; tell them who saved first and what changed, so nothing is silently lost.
            Conflict = conflict;
            Refusal = conflict.Message;
            Response.StatusCode = StatusCodes.Status409Conflict;
            return Page();
        }
        catch (GateFailedException refused)
        {
            Refusal = refused.Message;
            StructureProblems = new Dictionary<string, IReadOnlyList<ValidationError>>(StringComparer.Ordinal) { [refusedAt ?? ""] = refused.Problems };
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }
        catch (WorkflowException ex)
        {
            Refusal = ex.Message;
            Response.StatusCode = ex.Code switch
            {
                WorkflowErrorCode.RoleRequired => StatusCodes.Status403Forbidden,
                WorkflowErrorCode.NotFound => StatusCodes.Status404NotFound,
                _ => StatusCodes.Status409Conflict,
            };
            return Page();
        }
    }

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
