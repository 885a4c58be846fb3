using AlkPlatform.Guidelines.Workflow;

namespace AlkPlatform.Guidelines.Tests.Workflow;

public class ReviewTests
{
    [Fact]
    public void Approve_ByRevisionAuthor_IsRejected()
    {
        using var world = new WorkflowWorld();
        var revision = world.UnderReview();
        var authorWhoIsAlsoApprover = Actor.Create(world.Alice.Id, world.Alice.Name, Role.Author, Role.Approver);

        var refused = Assert.Throws<WorkflowException>(() => world.Workflow.Approve(authorWhoIsAlsoApprover, WorkflowWorld.Guideline, revision.Number, revision.SubmittedHash!));

        Assert.Equal(WorkflowErrorCode.SelfReview, refused.Code);
        Assert.Empty(world.Workflow.GetApprovals(WorkflowWorld.Guideline, revision.Number));
    }

    [Fact]
    public void Approve_BySomeoneWhoEditedTheDraft_IsRejected()
    {
        using var world = new WorkflowWorld();
        var draft = world.Draft();
        var editor = Actor.Create("eve", "Eve Editor", Role.Author, Role.Approver, Role.Reviewer);
        draft = world.Workflow.SaveDraft(editor, WorkflowWorld.Guideline, draft.Number, draft.Content with { ChangeSummary = "Eve's wording" }, draft.SaveNumber);
        var submitted = world.Workflow.Submit(world.Alice, WorkflowWorld.Guideline, draft.Number, draft.SaveNumber);
        world.Workflow.StartReview(world.Rita, WorkflowWorld.Guideline, submitted.Number);

        var refused = Assert.Throws<WorkflowException>(() => world.Workflow.Approve(editor, WorkflowWorld.Guideline, submitted.Number, submitted.SubmittedHash!));

        Assert.Equal(WorkflowErrorCode.SelfReview, refused.Code);
        Assert.Contains("Eve Editor", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StartReview_ByRevisionAuthor_IsRejected()
    {
        using var world = new WorkflowWorld();
        var revision = world.Submitted();
        var authorReviewer = Actor.Create(world.Alice.Id, world.Alice.Name, Role.Author, Role.Reviewer);

        var refused = Assert.Throws<WorkflowException>(() => world.Workflow.StartReview(authorReviewer, WorkflowWorld.Guideline, revision.Number));

        Assert.Equal(WorkflowErrorCode.SelfReview, refused.Code);
        Assert.Equal(RevisionState.Submitted, world.Workflow.GetRevision(WorkflowWorld.Guideline, revision.Number).State);
    }

    [Fact]
    public void Approve_FirstOfTwo_StaysUnderReviewUntilQuorum()
    {
        using var world = new WorkflowWorld();
        var revision = world.UnderReview();

        var afterOne = world.Workflow.Approve(world.Ann, WorkflowWorld.Guideline, revision.Number, revision.SubmittedHash!);
        var afterTwo = world.Workflow.Approve(world.Abe, WorkflowWorld.Guideline, revision.Number, revision.SubmittedHash!);

        Assert.Equal(RevisionState.UnderReview, afterOne.State);
        Assert.Equal(RevisionState.Approved, afterTwo.State);
        var approvals = world.Workflow.GetApprovals(WorkflowWorld.Guideline, revision.Number);
        Assert.Equal(["ann", "abe"], approvals.Select(a => a.ApproverId));
        Assert.All(approvals, a =>
        {
            Assert.Equal("I approve this content for clinical use", a.SignatureMeaning);
            Assert.Equal(revision.SubmittedHash, a.ContentHash);
        });
    }

    [Fact]
    public void Approve_SameApproverTwice_CountsOnce()
    {
        using var world = new WorkflowWorld();
        var revision = world.UnderReview();
        world.Workflow.Approve(world.Ann, WorkflowWorld.Guideline, revision.Number, revision.SubmittedHash!);

        var refused = Assert.Throws<WorkflowException>(() => world.Workflow.Approve(world.Ann, WorkflowWorld.Guideline, revision.Number, revision.SubmittedHash!));

        Assert.Equal(WorkflowErrorCode.AlreadyApproved, refused.Code);
        Assert.Equal(RevisionState.UnderReview, world.Workflow.GetRevision(WorkflowWorld.Guideline, revision.Number).State);
    }

    [Fact]
    public void Approve_WithQuorumOfThree_NeedsThreeDistinctApprovers()
    {
        using var world = new WorkflowWorld(new WorkflowOptions { ApprovalQuorum = 3 });
        var revision = world.UnderReview();

        world.Workflow.Approve(world.Ann, WorkflowWorld.Guideline, revision.Number, revision.SubmittedHash!);
        var afterTwo = world.Workflow.Approve(world.Abe, WorkflowWorld.Guideline, revision.Number, revision.SubmittedHash!);
        var afterThree = world.Workflow.Approve(world.Amy, WorkflowWorld.Guideline, revision.Number, revision.SubmittedHash!);

        Assert.Equal(RevisionState.UnderReview, afterTwo.State);
        Assert.Equal(RevisionState.Approved, afterThree.State);
    }

    [Fact]
    public void Publish_WhenQuorumRaisedAfterApproval_IsRefused()
    {
        using var world = new WorkflowWorld(new WorkflowOptions { ApprovalQuorum = 1 });
        var approved = world.Approved();
        Assert.Equal(RevisionState.Approved, approved.State);
        world.Reopen(new WorkflowOptions { ApprovalQuorum = 2 });

        var refused = Assert.Throws<WorkflowException>(() => world.Workflow.Publish(world.Paul, WorkflowWorld.Guideline, approved.Number, "Quorum reached; scenarios pass."));

        Assert.Equal(WorkflowErrorCode.QuorumNotReached, refused.Code);
        Assert.Contains("1 valid approval(s) of the 2 required", refused.Message, StringComparison.Ordinal);
        Assert.Equal(1, world.Workflow.GetLiveRelease(WorkflowWorld.Guideline)!.RevisionNumber);
    }

    [Fact]
    public void RequestChanges_ByOneReviewer_BlocksApprovalUntilTheyResolveIt()
    {
        using var world = new WorkflowWorld();
        var revision = world.UnderReview();
        world.Workflow.Approve(world.Ann, WorkflowWorld.Guideline, revision.Number, revision.SubmittedHash!);
        var request = world.Workflow.RequestChanges(world.Rita, WorkflowWorld.Guideline, revision.Number, "Which study supports 40 kg?", "rr-alectinib-dose");

        var blocked = Assert.Throws<WorkflowException>(() => world.Workflow.Approve(world.Abe, WorkflowWorld.Guideline, revision.Number, revision.SubmittedHash!));
        var authorCannotDismiss = Assert.Throws<WorkflowException>(() => world.Workflow.ResolveComment(world.Alice, request.Id));
        world.Workflow.AddComment(world.Alice, WorkflowWorld.Guideline, revision.Number, "Reference 2 gives 40 kg in its dosing table.", replyTo: request.Id);
        world.Workflow.ResolveComment(world.Rita, request.Id);
        var approved = world.Workflow.Approve(world.Abe, WorkflowWorld.Guideline, revision.Number, revision.SubmittedHash!);

        Assert.Equal(WorkflowErrorCode.OpenChangeRequests, blocked.Code);
        Assert.Contains("Which study supports 40 kg?", blocked.Message, StringComparison.Ordinal);
        Assert.Equal(WorkflowErrorCode.RoleRequired, authorCannotDismiss.Code);
        Assert.Equal(RevisionState.Approved, approved.State);
        var comments = world.Workflow.GetComments(WorkflowWorld.Guideline, revision.Number);
        var reply = Assert.Single(comments, c => c.ParentId == request.Id);
        Assert.Equal("rr-alectinib-dose", reply.StatementId);
        Assert.True(Assert.Single(comments, c => c.Id == request.Id).IsResolved);
    }

    [Fact]
    public void RequestChanges_ByTwoReviewers_StaysBlockedUntilBothResolve()
    {
        using var world = new WorkflowWorld();
        var revision = world.UnderReview();
        var first = world.Workflow.RequestChanges(world.Rita, WorkflowWorld.Guideline, revision.Number, "Cite the source.");
        var second = world.Workflow.RequestChanges(world.Ann, WorkflowWorld.Guideline, revision.Number, "Update the patient wording too.");

        world.Workflow.ResolveComment(world.Rita, first.Id);
        var stillBlocked = world.Workflow.GetRevision(WorkflowWorld.Guideline, revision.Number);
        world.Workflow.ResolveComment(world.Ann, second.Id);
        var unblocked = world.Workflow.GetRevision(WorkflowWorld.Guideline, revision.Number);

        Assert.Equal(RevisionState.ChangesRequested, stillBlocked.State);
        Assert.Equal(RevisionState.UnderReview, unblocked.State);
    }

    [Fact]
    public void Revise_AfterChangesRequested_StartsNewDraftWithSameContent()
    {
        using var world = new WorkflowWorld();
        var revision = world.ChangesRequested();

        var draft = world.Workflow.Revise(world.Alice, WorkflowWorld.Guideline, revision.Number);

        Assert.Equal(RevisionState.Draft, draft.State);
        Assert.Equal(revision.Number + 1, draft.Number);
        Assert.Equal(revision.Number, draft.BasedOn);
        Assert.Equal(revision.ContentHash, draft.ContentHash);
        Assert.Equal(RevisionState.Withdrawn, world.Workflow.GetRevision(WorkflowWorld.Guideline, revision.Number).State);
        Assert.Single(world.Workflow.GetComments(WorkflowWorld.Guideline, revision.Number), c => c.IsChangeRequest);
    }

    [Fact]
    public void AddComment_OnUnknownStatement_IsRejected()
    {
        using var world = new WorkflowWorld();
        var revision = world.UnderReview();

        var refused = Assert.Throws<WorkflowException>(() => world.Workflow.AddComment(world.Rita, WorkflowWorld.Guideline, revision.Number, "?", "no-such-statement"));

        Assert.Equal(WorkflowErrorCode.NotFound, refused.Code);
        Assert.Empty(world.Workflow.GetComments(WorkflowWorld.Guideline, revision.Number));
    }

    [Fact]
    public void AddComment_OnWholeRevision_HasNoAnchorAndCanBeResolvedByTheAuthor()
    {
        using var world = new WorkflowWorld();
        var revision = world.UnderReview();
        var comment = world.Workflow.AddComment(world.Rita, WorkflowWorld.Guideline, revision.Number, "Nice tidy change.");

        var resolved = world.Workflow.ResolveComment(world.Alice, comment.Id);

        Assert.Null(comment.StatementId);
        Assert.Equal("Alice Author", resolved.ResolvedByName);
        Assert.Equal(RevisionState.UnderReview, world.Workflow.GetRevision(WorkflowWorld.Guideline, revision.Number).State);
    }

    [Fact]
    public void Withdraw_WithoutReason_IsRejected()
    {
        using var world = new WorkflowWorld();
        var draft = world.Draft();

        var refused = Assert.Throws<WorkflowException>(() => world.Workflow.Withdraw(world.Alice, WorkflowWorld.Guideline, draft.Number, " "));

        Assert.Equal(WorkflowErrorCode.ReasonRequired, refused.Code);
        Assert.Equal(RevisionState.Draft, world.Workflow.GetRevision(WorkflowWorld.Guideline, draft.Number).State);
    }
}
