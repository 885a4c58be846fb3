using AlkPlatform.Guidelines.Workflow;
using AlkPlatform.Portal.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AlkPlatform.Portal.Pages;

/// <summary>
/// Base for pages that act on the workflow: the signed-in user as the domain's actor, and refusals from the domain
/// (role, state, four-eyes, quorum, gates, conflicts) shown to the user instead of thrown.
/// </summary>
public abstract class WorkflowPage(GuidelineWorkflow workflow) : PageModel
{
    protected GuidelineWorkflow Workflow { get; } = workflow;

    public PortalUser Me => PortalUser.From(User);

    protected Actor Actor => Me.ToActor();

    [TempData]
    public string? StatusMessage { get; set; }

    public string? Refusal { get; protected set; }

    /// <summary>A post to a handler the page does not have is not found, rather than the page rendered with nothing loaded.</summary>
    public override void OnPageHandlerExecuting(PageHandlerExecutingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.HandlerMethod is null)
        {
            context.Result = NotFound();
        }
    }

    /// <summary>Runs a domain action; a refusal becomes a message on the page (HTTP 409/403/404 as fits) and nothing changes.</summary>
    protected IActionResult Attempt(Func<IActionResult> action, Func<IActionResult> onRefused)
    {
        ArgumentNullException.ThrowIfNull(action);
        ArgumentNullException.ThrowIfNull(onRefused);
        try
        {
            return action();
        }
        catch (WorkflowException ex)
        {
            Refusal = ex.Message;
            ModelState.AddModelError(string.Empty, ex.Message);
            var result = onRefused();
            HttpContext.Response.StatusCode = ex.Code switch
            {
                WorkflowErrorCode.RoleRequired or WorkflowErrorCode.SelfReview => StatusCodes.Status403Forbidden,
                WorkflowErrorCode.NotFound => StatusCodes.Status404NotFound,
                WorkflowErrorCode.ValidationFailed or WorkflowErrorCode.ScenariosFailed or WorkflowErrorCode.QuestionSetFailed or WorkflowErrorCode.ReasonRequired
                    => StatusCodes.Status422UnprocessableEntity,
                _ => StatusCodes.Status409Conflict,
            };
            return result;
        }
    }

    protected Revision? TryGetRevision(string guidelineId, int number)
    {
        try
        {
            return Workflow.GetRevision(guidelineId, number);
        }
        catch (WorkflowException ex) when (ex.Code == WorkflowErrorCode.NotFound)
        {
            return null;
        }
    }

    public static string StateLabel(RevisionState state) => state switch
    {
        RevisionState.UnderReview => "Under review",
        RevisionState.ChangesRequested => "Changes requested",
        _ => state.ToString(),
    };

    public static string ShortHash(string? hash) => hash is { Length: > 12 } ? hash[..12] : hash ?? "–";
}
