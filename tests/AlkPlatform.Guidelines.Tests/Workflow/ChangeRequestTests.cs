using AlkPlatform.Guidelines.Workflow;

namespace AlkPlatform.Guidelines.Tests.Workflow;

/// <summary>Only the reviewer who requested changes, or a new revision, gets a revision past a change request.</summary>
public class ChangeRequestTests
{
    private const string Guideline = WorkflowWorld.Guideline;

    [Fact]
    public void ResolveComment_ChangeRequestByAnAdmin_IsRefused()
    {
        using var world = new WorkflowWorld();
        var revision = world.ChangesRequested();
        var request = Assert.Single(world.Workflow.GetComments(Guideline, revision.Number), c => c.IsChangeRequest);

        var refused = Assert.Throws<WorkflowException>(() => world.Workflow.ResolveComment(world.Adam, request.Id));

        Assert.Equal(WorkflowErrorCode.RoleRequired, refused.Code);
        Assert.Equal("Only Rita Reviewer, who requested these changes, can resolve this change request; " +
            "otherwise continue revision 2 as a new draft (Revise).", refused.Message);
        Assert.False(Assert.Single(world.Workflow.GetComments(Guideline, revision.Number), c => c.Id == request.Id).IsResolved);
        Assert.Equal(RevisionState.ChangesRequested, world.Workflow.GetRevision(Guideline, revision.Number).State);
    }

    [Fact]
    public void ResolveComment_OrdinaryCommentByAnAdmin_IsResolved()
    {
        using var world = new WorkflowWorld();
        var revision = world.UnderReview();
        var comment = world.Workflow.AddComment(world.Rita, Guideline, revision.Number, "Typo in the second paragraph.");

        var resolved = world.Workflow.ResolveComment(world.Adam, comment.Id);

        Assert.Equal("Adam Admin", resolved.ResolvedByName);
    }

    [Fact]
    public void Revise_WithAChangeRequestStillOpen_NewRevisionIsApprovedWithoutIt()
    {
        using var world = new WorkflowWorld();
        var revision = world.ChangesRequested();

        var draft = world.Workflow.Revise(world.Alice, Guideline, revision.Number);
        draft = world.Workflow.SaveDraft(world.Alice, Guideline, draft.Number, draft.Content with { ChangeSummary = "Threshold 40 kg, source cited." }, draft.SaveNumber);
        var submitted = world.Workflow.Submit(world.Alice, Guideline, draft.Number, draft.SaveNumber);
        world.Workflow.StartReview(world.Rita, Guideline, submitted.Number);
        world.Workflow.Approve(world.Ann, Guideline, submitted.Number, submitted.SubmittedHash!);
        var approved = world.Workflow.Approve(world.Abe, Guideline, submitted.Number, submitted.SubmittedHash!);

        Assert.Equal(RevisionState.Approved, approved.State);
        Assert.Empty(world.Workflow.GetComments(Guideline, submitted.Number));
        var old = Assert.Single(world.Workflow.GetComments(Guideline, revision.Number), c => c.IsChangeRequest);
        Assert.False(old.IsResolved);
        Assert.Equal(RevisionState.Withdrawn, world.Workflow.GetRevision(Guideline, revision.Number).State);
    }
}
