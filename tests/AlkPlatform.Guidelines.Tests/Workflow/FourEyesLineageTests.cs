using AlkPlatform.Guidelines.Workflow;

namespace AlkPlatform.Guidelines.Tests.Workflow;

/// <summary>
/// Four eyes across copies: whoever wrote or edited a revision, or any revision it was copied from since the last live
/// release, neither starts its review, requests changes to it, nor approves it — and their approval never counts.
/// </summary>
public class FourEyesLineageTests
{
    private const string Guideline = WorkflowWorld.Guideline;

    [Fact]
    public void Approve_CopyOfAnotherAuthorsUnpublishedRevision_IsRefusedNamingHerAuthorship()
    {
        using var world = new WorkflowWorld();
        var original = world.Submitted();
        var copy = Copy(world, world.Bob, original.Number);
        world.Workflow.StartReview(world.Rita, Guideline, copy.Number);

        var refused = Assert.Throws<WorkflowException>(() => world.Workflow.Approve(AliceApproving(world), Guideline, copy.Number, copy.SubmittedHash!));
        world.Workflow.Approve(world.Ann, Guideline, copy.Number, copy.SubmittedHash!);
        var approved = world.Workflow.Approve(world.Abe, Guideline, copy.Number, copy.SubmittedHash!);

        Assert.Equal(WorkflowErrorCode.SelfReview, refused.Code);
        Assert.Equal("Alice Author wrote revision 2, from which revision 3 was copied; an approver must not have written or edited " +
            "any revision in its lineage since the last live release (revision 1).", refused.Message);
        Assert.Equal(["ann", "abe"], world.Workflow.GetApprovals(Guideline, copy.Number).Select(a => a.ApproverId));
        Assert.Equal(RevisionState.Approved, approved.State);
    }

    [Fact]
    public void Approve_AfterAnotherAuthorRevisedHerRevision_IsRefused()
    {
        using var world = new WorkflowWorld();
        var original = world.ChangesRequested();
        var revised = world.Workflow.Revise(world.Bob, Guideline, original.Number);
        var submitted = world.Workflow.Submit(world.Bob, Guideline, revised.Number, revised.SaveNumber);
        world.Workflow.StartReview(world.Rita, Guideline, submitted.Number);

        var refused = Assert.Throws<WorkflowException>(() => world.Workflow.Approve(AliceApproving(world), Guideline, submitted.Number, submitted.SubmittedHash!));

        Assert.Equal(WorkflowErrorCode.SelfReview, refused.Code);
        Assert.StartsWith("Alice Author wrote revision 2, from which revision 3 was copied; an approver", refused.Message, StringComparison.Ordinal);
        Assert.Empty(world.Workflow.GetApprovals(Guideline, submitted.Number));
        Assert.Equal(RevisionState.UnderReview, world.Workflow.GetRevision(Guideline, submitted.Number).State);
    }

    [Fact]
    public void Approve_BySomeoneWhoOnlyEditedAnAncestorTwoCopiesBack_IsRefused()
    {
        using var world = new WorkflowWorld();
        var eve = Actor.Create("eve", "Eve Editor", Role.Author, Role.Approver);
        var draft = world.Draft();
        world.Workflow.SaveDraft(eve, Guideline, draft.Number, draft.Content with { ChangeSummary = "Eve's wording" }, draft.SaveNumber);
        var firstCopy = world.Workflow.StartDraft(world.Bob, Guideline, draft.Number);
        var secondCopy = Copy(world, world.Bob, firstCopy.Number);
        world.Workflow.StartReview(world.Rita, Guideline, secondCopy.Number);

        var refused = Assert.Throws<WorkflowException>(() => world.Workflow.Approve(eve, Guideline, secondCopy.Number, secondCopy.SubmittedHash!));

        Assert.Equal(WorkflowErrorCode.SelfReview, refused.Code);
        Assert.Equal("Eve Editor edited revision 2, from which revision 4 was copied by way of revision 3; an approver must not have " +
            "written or edited any revision in its lineage since the last live release (revision 1).", refused.Message);
        Assert.Empty(world.Workflow.GetApprovals(Guideline, secondCopy.Number));
    }

    [Fact]
    public void Approve_ByAuthorOfTheLiveRevisionTheDraftWasCopiedFrom_Counts()
    {
        using var world = new WorkflowWorld();
        var live = world.Live();
        var copy = Copy(world, world.Bob, live.Number);
        world.Workflow.StartReview(world.Rita, Guideline, copy.Number);

        world.Workflow.Approve(AliceApproving(world), Guideline, copy.Number, copy.SubmittedHash!);

        Assert.Equal(["alice"], world.Workflow.GetCountingApprovals(Guideline, copy.Number).Select(a => a.ApproverId));
    }

    [Fact]
    public void Approve_ByAuthorOfARevisionBeforeTheLastLiveRelease_Counts()
    {
        using var world = new WorkflowWorld();
        var original = world.Submitted();
        var released = Copy(world, world.Bob, original.Number);
        world.Workflow.StartReview(world.Rita, Guideline, released.Number);
        world.Workflow.Approve(world.Ann, Guideline, released.Number, released.SubmittedHash!);
        world.Workflow.Approve(world.Abe, Guideline, released.Number, released.SubmittedHash!);
        world.Workflow.Publish(world.Paul, Guideline, released.Number, "Quorum reached; scenarios pass.");
        var next = Copy(world, world.Bob, released.Number);
        world.Workflow.StartReview(world.Rita, Guideline, next.Number);

        world.Workflow.Approve(AliceApproving(world), Guideline, next.Number, next.SubmittedHash!);

        Assert.Equal(["alice"], world.Workflow.GetCountingApprovals(Guideline, next.Number).Select(a => a.ApproverId));
    }

    [Fact]
    public void Publish_ApprovalByLineageAuthorRecordedBeforeTheRule_DoesNotCount()
    {
        using var world = new WorkflowWorld();
        var original = world.Submitted();
        var copy = Copy(world, world.Bob, original.Number);
        world.Workflow.StartReview(world.Rita, Guideline, copy.Number);
        world.Workflow.Approve(world.Ann, Guideline, copy.Number, copy.SubmittedHash!);
        // As a build that only looked at the copy's own author would have left it: Alice's approval recorded, quorum reached.
        world.Sql(
            """
            INSERT INTO approvals (guideline_id, revision_number, approver_id, approver_name, approved_at, signature_meaning, content_hash)
            VALUES (@Guideline, @number, 'alice', 'Alice Author', '2026-12-01T10:00:00.0000000+00:00', @meaning, @hash);
            UPDATE revisions SET state = 'Approved' WHERE guideline_id = @Guideline AND revision_number = @number;
            """, new { Guideline, number = copy.Number, meaning = WorkflowOptions.SignatureMeaning, hash = copy.SubmittedHash });

        var refused = Assert.Throws<WorkflowException>(() => world.Workflow.Publish(world.Paul, Guideline, copy.Number, "Quorum reached; scenarios pass."));

        Assert.Equal(WorkflowErrorCode.QuorumNotReached, refused.Code);
        Assert.Contains("1 valid approval(s) of the 2 required", refused.Message, StringComparison.Ordinal);
        Assert.Equal(["ann"], world.Workflow.GetCountingApprovals(Guideline, copy.Number).Select(a => a.ApproverId));
        Assert.Equal(1, world.Workflow.GetLiveRelease(Guideline)!.RevisionNumber);
    }

    [Fact]
    public void StartReview_ByAuthorOfTheRevisionItWasCopiedFrom_IsRefused()
    {
        using var world = new WorkflowWorld();
        var original = world.Submitted();
        var copy = Copy(world, world.Bob, original.Number);
        var aliceReviewing = Actor.Create(world.Alice.Id, world.Alice.Name, Role.Author, Role.Reviewer);

        var refused = Assert.Throws<WorkflowException>(() => world.Workflow.StartReview(aliceReviewing, Guideline, copy.Number));

        Assert.Equal(WorkflowErrorCode.SelfReview, refused.Code);
        Assert.Equal("Alice Author wrote revision 2, from which revision 3 was copied; whoever starts the review must not have written or " +
            "edited any revision in its lineage since the last live release (revision 1).", refused.Message);
        Assert.Equal(RevisionState.Submitted, world.Workflow.GetRevision(Guideline, copy.Number).State);
    }

    [Fact]
    public void RequestChanges_ByAuthorOfTheRevisionItWasCopiedFrom_IsRefused()
    {
        using var world = new WorkflowWorld();
        var original = world.Submitted();
        var copy = Copy(world, world.Bob, original.Number);
        world.Workflow.StartReview(world.Rita, Guideline, copy.Number);
        var aliceReviewing = Actor.Create(world.Alice.Id, world.Alice.Name, Role.Author, Role.Reviewer);

        var refused = Assert.Throws<WorkflowException>(() => world.Workflow.RequestChanges(aliceReviewing, Guideline, copy.Number, "Keep my wording."));

        Assert.Equal(WorkflowErrorCode.SelfReview, refused.Code);
        Assert.Contains("whoever requests changes must not have written or edited", refused.Message, StringComparison.Ordinal);
        Assert.Empty(world.Workflow.GetComments(Guideline, copy.Number));
        Assert.Equal(RevisionState.UnderReview, world.Workflow.GetRevision(Guideline, copy.Number).State);
    }

    /// <summary>Alice, who authors revisions, holding the approver role as well.</summary>
    private static Actor AliceApproving(WorkflowWorld world) => Actor.Create(world.Alice.Id, world.Alice.Name, Role.Author, Role.Approver);

    /// <summary>A new draft copied from <paramref name="from"/> by <paramref name="copier"/>, submitted unchanged.</summary>
    private static Revision Copy(WorkflowWorld world, Actor copier, int from)
    {
        world.Tick();
        var draft = world.Workflow.StartDraft(copier, Guideline, from);
        world.Tick();
        return world.Workflow.Submit(copier, Guideline, draft.Number, draft.SaveNumber);
    }
}
