using AlkPlatform.Guidelines.Content;
using AlkPlatform.Guidelines.Questions;
using AlkPlatform.Guidelines.Workflow;
using Microsoft.AspNetCore.Mvc;

namespace AlkPlatform.Portal.Pages.Revisions;

/// <summary>
/// The revision's labelled question set: every question asked of this revision with what Ask does, the figures against the
/// publish targets (whole set and frozen part), and the set itself to edit.
/// </summary>
// One row per question (about 550 in the seed, six fields each) is more than the default limit of 1024 form values.
[RequestFormLimits(ValueCountLimit = QuestionsModel.MaxFormValues)]
public sealed class QuestionsModel(GuidelineWorkflow workflow) : WorkflowPage(workflow)
{
    public const int MaxFormValues = 16_384;

    [BindProperty(SupportsGet = true, Name = "id")]
    public string GuidelineId { get; set; } = "";

    [BindProperty(SupportsGet = true, Name = "n")]
    public int Number { get; set; }

    [BindProperty]
    public long SaveNumber { get; set; }

    [BindProperty]
    public QuestionSetForm Form { get; set; } = new();

    public Revision? Revision { get; private set; }
    public QuestionSetRun? Run { get; private set; }
    public IReadOnlyList<ValidationError> Problems { get; private set; } = [];
    public IReadOnlyDictionary<string, QuestionResult> ResultById { get; private set; } = new Dictionary<string, QuestionResult>();
    public EditConflictException? Conflict { get; private set; }

    /// <summary>The board reads the set (like the impact preview); only those who may save a draft can change it.</summary>
    public bool Editable => Revision?.State == RevisionState.Draft && (Actor.Has(Role.Author) || Actor.Has(Role.Admin));

    public IActionResult OnGet()
    {
        if (!Load())
        {
            return NotFound();
        }
        Form = QuestionSetForm.From(Revision!.Content);
        SaveNumber = Revision.SaveNumber;
        Ask(Revision.Content);
        return Page();
    }

    public IActionResult OnPostSave()
    {
        if (!Load())
        {
            return NotFound();
        }
        var content = Form.ApplyTo(Revision!.Content);
        try
        {
            Workflow.SaveDraft(Actor, GuidelineId, Number, content, SaveNumber);
            StatusMessage = $"Saved the question set of revision {Number}.";
            return RedirectToPage(new { id = GuidelineId, n = Number });
        }
        catch (EditConflictException conflict)
        {
            Conflict = conflict;
            Refusal = conflict.Message;
            Response.StatusCode = StatusCodes.Status409Conflict;
        }
        catch (WorkflowException ex)
        {
            Refusal = ex.Message;
            Response.StatusCode = ex.Code == WorkflowErrorCode.RoleRequired ? StatusCodes.Status403Forbidden : StatusCodes.Status409Conflict;
        }
        Ask(content);
        return Page();
    }

    private bool Load()
    {
        Revision = TryGetRevision(GuidelineId, Number);
        return Revision is not null;
    }

    /// <summary>Asks the set of the content as shown (saved, or as just posted), with the publish gate's own check.</summary>
    private void Ask(GuidelineContent content)
    {
        Problems = ContentGates.CheckQuestions(content, out var run);
        Run = run;
        ResultById = run?.Results.DistinctBy(r => r.Question.Id).ToDictionary(r => r.Question.Id, StringComparer.Ordinal) ?? [];
    }
}
