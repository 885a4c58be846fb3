using AlkPlatform.Guidelines.Workflow;

namespace AlkPlatform.Portal.Tests.Infrastructure;

/// <summary>The demo users as workflow actors, for arranging state directly through the domain.</summary>
public static class BoardMembers
{
    public static Actor Actor(string who)
    {
        var user = SignIn.User(who);
        return new Actor(user.ObjectId, user.Name, user.Roles.Select(Enum.Parse<Role>).ToHashSet());
    }

    /// <summary>Takes a change of the seed guideline from draft to approved, as the board would.</summary>
    public static Revision ApprovedChange(GuidelineWorkflow workflow, string guidelineId, Func<Guidelines.Content.GuidelineContent, Guidelines.Content.GuidelineContent> change)
    {
        var author = Actor("ada.author");
        var draft = workflow.StartDraft(author, guidelineId, workflow.ListGuidelines().Single(g => g.GuidelineId == guidelineId).LiveRevision);
        draft = workflow.SaveDraft(author, guidelineId, draft.Number, change(draft.Content), draft.SaveNumber);
        var submitted = workflow.Submit(author, guidelineId, draft.Number, draft.SaveNumber);
        workflow.StartReview(Actor("rui.reviewer"), guidelineId, draft.Number);
        workflow.Approve(Actor("amira.approver"), guidelineId, draft.Number, submitted.SubmittedHash!);
        return workflow.Approve(Actor("ben.approver"), guidelineId, draft.Number, submitted.SubmittedHash!);
    }
}
