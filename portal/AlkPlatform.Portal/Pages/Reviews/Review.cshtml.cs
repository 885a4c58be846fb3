using AlkPlatform.Guidelines.Releases;
using AlkPlatform.Guidelines.Workflow;
using AlkPlatform.Portal.Authorization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace AlkPlatform.Portal.Pages.Reviews;

public sealed class ReviewModel(GuidelineWorkflow workflow, IAuthorizationService authorization) : WorkflowPage(workflow)
{
    [BindProperty(SupportsGet = true, Name = "id")]
    public string GuidelineId { get; set; } = "";

    [BindProperty(SupportsGet = true, Name = "n")]
    public int Number { get; set; }

    public Revision? Revision { get; private set; }
    public IReadOnlyList<ReviewComment> Comments { get; private set; } = [];
    public IReadOnlyList<RevisionApproval> Approvals { get; private set; } = [];
    public int Quorum => Workflow.Quorum.Size;
    /// <summary>How many of <see cref="Approvals"/> count towards the quorum, as the domain counts them.</summary>
    public int CountingApprovals { get; private set; }

    public IActionResult OnGet() => Load() ? Page() : NotFound();

    public IActionResult OnPostStartReview() => Act(() => Workflow.StartReview(Actor, GuidelineId, Number), "Review started.");

    public IActionResult OnPostComment(string? statementId, string? text, long? replyTo) =>
        Act(() => Workflow.AddComment(Actor, GuidelineId, Number, text ?? "", Blank(statementId), replyTo), "Comment added.");

    public IActionResult OnPostRequestChanges(string? statementId, string? text) =>
        Act(() => Workflow.RequestChanges(Actor, GuidelineId, Number, text ?? "", Blank(statementId)), "Changes requested: the author has been sent back to drafting.");

    public IActionResult OnPostResolve(long commentId) => Act(() => Workflow.ResolveComment(Actor, commentId), "Comment resolved.");

    /// <summary>Approval is a signature: the approver must tick the stated meaning, and signs the hash they were shown.</summary>
    public async Task<IActionResult> OnPostApproveAsync(string? approvedHash, bool signatureMeaningConfirmed)
    {
        if (!(await authorization.AuthorizeAsync(User, PortalPolicies.Approve)).Succeeded)
        {
            return Forbid();
        }
        if (!signatureMeaningConfirmed)
        {
            Load();
            Refusal = $"To approve, confirm the meaning of your signature: \"{WorkflowOptions.SignatureMeaning}\".";
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }
        return Act(() => Workflow.Approve(Actor, GuidelineId, Number, approvedHash ?? ""), "Approved: your signature is recorded.");
    }

    private IActionResult Act(Action action, string message) => Attempt(() =>
    {
        action();
        StatusMessage = message;
        return RedirectToPage(new { id = GuidelineId, n = Number });
    }, () => Load() ? Page() : NotFound());

    private bool Load()
    {
        Revision = TryGetRevision(GuidelineId, Number);
        if (Revision is null)
        {
            return false;
        }
        Comments = Workflow.GetComments(GuidelineId, Number);
        Approvals = Workflow.GetApprovals(GuidelineId, Number);
        CountingApprovals = Workflow.GetCountingApprovals(GuidelineId, Number).Count;
        return true;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
