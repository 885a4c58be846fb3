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
    public string? Reason { get; set; }

    [BindProperty]
    public bool Confirmed { get; set; }

    /// <summary>Why the reason was refused, shown beside its field.</summary>
    public string? ReasonError { get; private set; }

    public Revision? Revision { get; private set; }
    public Release? Live { get; private set; }
    public IReadOnlyList<RevisionApproval> Approvals { get; private set; } = [];
    public IReadOnlyList<ValidationError> ScenarioProblems { get; private set; } = [];
    public IReadOnlyList<ValidationError> QuestionProblems { get; private set; } = [];

    public IActionResult OnGet() => Load() ? Page() : NotFound();

    public IActionResult OnPost()
    {
        if (!Confirmed)
        {
            Refusal = "Tick the confirmation to publish: this revision will replace the live release for every service.";
            // Name a missing reason in the same round trip; the domain still refuses it on its own.
            ReasonError = string.IsNullOrWhiteSpace(Reason) ? ReasonMissing : null;
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Load() ? Page() : NotFound();
        }
        return Attempt(() =>
        {
            try
            {
                var release = Workflow.Publish(Actor, GuidelineId, Number, Reason ?? "");
                StatusMessage = $"Published: release {release.ReleaseId} is live.";
                return RedirectToPage("/Guidelines/History", new { id = GuidelineId });
            }
            catch (WorkflowException ex) when (ex.Code == WorkflowErrorCode.ReasonRequired)
            {
                ReasonError = ReasonMissing;
                throw;
            }
        }, () => Load() ? Page() : NotFound());
    }

    private const string ReasonMissing = "Give a reason for publishing; it is recorded in the audit trail.";

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
        QuestionProblems = ContentGates.CheckQuestions(Revision.Content);
        return true;
    }
}
