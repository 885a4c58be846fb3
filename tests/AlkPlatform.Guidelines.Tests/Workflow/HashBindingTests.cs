using AlkPlatform.Guidelines.Workflow;

namespace AlkPlatform.Guidelines.Tests.Workflow;

public class HashBindingTests
{
    [Fact]
    public void Submit_FreezesHashOfExactlyTheSavedContent()
    {
        using var world = new WorkflowWorld();
        var draft = world.Draft();

        var submitted = world.Workflow.Submit(world.Alice, WorkflowWorld.Guideline, draft.Number, draft.SaveNumber);

        Assert.Null(draft.SubmittedHash);
        Assert.Equal(Content.GuidelineJson.ComputeHash(draft.Content), submitted.SubmittedHash);
        var refused = Assert.Throws<WorkflowException>(() => world.Workflow.SaveDraft(world.Alice, WorkflowWorld.Guideline, draft.Number, draft.Content, submitted.SaveNumber));
        Assert.Equal(WorkflowErrorCode.InvalidState, refused.Code);
    }

    [Fact]
    public void Approve_WithHashOfOtherContent_IsRejected()
    {
        using var world = new WorkflowWorld();
        var revision = world.UnderReview();
        var seedHash = world.Workflow.GetRevision(WorkflowWorld.Guideline, 1).ContentHash;

        var refused = Assert.Throws<WorkflowException>(() => world.Workflow.Approve(world.Ann, WorkflowWorld.Guideline, revision.Number, seedHash));

        Assert.Equal(WorkflowErrorCode.HashMismatch, refused.Code);
        Assert.Empty(world.Workflow.GetApprovals(WorkflowWorld.Guideline, revision.Number));
    }

    [Fact]
    public void Publish_AfterOneByteChangedInStoredContent_IsRefused()
    {
        using var world = new WorkflowWorld();
        var approved = world.Approved();

        // Someone with database access changes 300 mg to 600 mg after the board approved.
        var changed = world.Sql(
            "UPDATE revisions SET content = CAST(REPLACE(CAST(content AS TEXT), '\"dose\":300', '\"dose\":600') AS BLOB) WHERE guideline_id = @g AND revision_number = @n",
            new { g = WorkflowWorld.Guideline, n = approved.Number });
        var refused = Assert.Throws<WorkflowException>(() => world.Workflow.Publish(world.Paul, WorkflowWorld.Guideline, approved.Number, "Quorum reached; scenarios pass."));

        Assert.Equal(1, changed);
        Assert.Equal(WorkflowErrorCode.HashMismatch, refused.Code);
        Assert.Equal(1, world.Workflow.GetLiveRelease(WorkflowWorld.Guideline)!.RevisionNumber);
        Assert.Single(world.Workflow.ListReleases(WorkflowWorld.Guideline));
    }

    [Fact]
    public void Approvals_OfOneRevision_DoNotCarryToAChangedCopy()
    {
        using var world = new WorkflowWorld();
        var approved = world.Approved();
        var copy = world.Workflow.StartDraft(world.Alice, WorkflowWorld.Guideline, approved.Number);
        copy = world.Workflow.SaveDraft(world.Alice, WorkflowWorld.Guideline, copy.Number, copy.Content with { ChangeSummary = approved.Content.ChangeSummary + "." }, copy.SaveNumber);
        var submitted = world.Workflow.Submit(world.Alice, WorkflowWorld.Guideline, copy.Number, copy.SaveNumber);
        world.Workflow.StartReview(world.Rita, WorkflowWorld.Guideline, submitted.Number);

        var reused = Assert.Throws<WorkflowException>(() => world.Workflow.Approve(world.Ann, WorkflowWorld.Guideline, submitted.Number, approved.SubmittedHash!));

        Assert.NotEqual(approved.SubmittedHash, submitted.SubmittedHash);
        Assert.Equal(WorkflowErrorCode.HashMismatch, reused.Code);
        Assert.Empty(world.Workflow.GetApprovals(WorkflowWorld.Guideline, submitted.Number));
    }

    [Fact]
    public void Releases_StoredRow_CannotBeUpdated()
    {
        using var world = new WorkflowWorld();

        var refused = Assert.ThrowsAny<Microsoft.Data.Sqlite.SqliteException>(() => world.Sql("UPDATE releases SET content_hash = 'x'"));

        Assert.Contains("releases are immutable", refused.Message, StringComparison.Ordinal);
    }
}
