using AlkPlatform.Guidelines.Workflow;

namespace AlkPlatform.Guidelines.Tests.Workflow;

public class AuditTrailTests
{
    [Fact]
    public void Audit_FullWorkflow_RecordsEveryActionWithActorAndHash()
    {
        using var world = new WorkflowWorld();
        var live = world.Live();

        var trail = world.Workflow.GetAuditTrail(WorkflowWorld.Guideline);

        Assert.Equal(
            [AuditActions.BootstrapSeeded, AuditActions.FeedEventSigned, AuditActions.DraftStarted, AuditActions.DraftSaved, AuditActions.Submitted, AuditActions.ReviewStarted,
             AuditActions.Approved, AuditActions.Approved, AuditActions.QuorumReached, AuditActions.Published, AuditActions.Published],
            trail.Select(e => e.Action));
        var approvals = trail.Where(e => e.Action == AuditActions.Approved).ToList();
        Assert.Equal(["Ann Approver", "Abe Approver"], approvals.Select(e => e.ActorName));
        Assert.All(approvals, e => Assert.Equal(live.SubmittedHash, e.ContentHash));
        Assert.True(world.Workflow.VerifyAuditTrail().IsIntact);
        Assert.Equal(trail.Count, world.Workflow.VerifyAuditTrail().EntriesChecked);
    }

    [Fact]
    public void VerifyAuditTrail_EditedEntry_ReportsThatEntry()
    {
        using var world = new WorkflowWorld();
        world.Live();

        world.Sql("UPDATE audit_entries SET actor_name = 'Mallory' WHERE sequence = 6");
        var verification = world.Workflow.VerifyAuditTrail();

        Assert.False(verification.IsIntact);
        Assert.Equal(6, verification.FirstBrokenSequence);
        Assert.Contains("edited", verification.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void VerifyAuditTrail_EditedEntryWithRecomputedHash_ReportsTheNextLink()
    {
        using var world = new WorkflowWorld();
        world.Live();
        var entry = world.Workflow.GetAuditTrail().Single(e => e.Sequence == 4);
        var forged = entry with { Reason = "forged" };
        forged = forged with { EntryHash = AlkPlatform.Guidelines.Storage.AuditTrail.ComputeHash(forged) };

        world.Sql("UPDATE audit_entries SET reason = @Reason, entry_hash = @EntryHash WHERE sequence = 4", new { forged.Reason, forged.EntryHash });
        var verification = world.Workflow.VerifyAuditTrail();

        Assert.False(verification.IsIntact);
        Assert.Equal(5, verification.FirstBrokenSequence);
    }

    [Fact]
    public void VerifyAuditTrail_DeletedEntry_ReportsTheGap()
    {
        using var world = new WorkflowWorld();
        world.Live();

        world.Sql("DELETE FROM audit_entries WHERE sequence = 3");
        var verification = world.Workflow.VerifyAuditTrail();

        Assert.False(verification.IsIntact);
        Assert.Equal(3, verification.FirstBrokenSequence);
        Assert.Contains("missing", verification.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void VerifyAuditTrail_DeletedLastEntry_IsDetected()
    {
        using var world = new WorkflowWorld();
        world.Live();
        var last = world.Workflow.GetAuditTrail()[^1].Sequence;

        world.Sql("DELETE FROM audit_entries WHERE sequence = @last", new { last });
        var verification = world.Workflow.VerifyAuditTrail();

        Assert.False(verification.IsIntact);
        Assert.Equal(last, verification.FirstBrokenSequence);
    }

    [Fact]
    public void Audit_RefusedAction_LeavesNoEntry()
    {
        using var world = new WorkflowWorld();
        var revision = world.UnderReview();
        var before = world.Workflow.GetAuditTrail().Count;

        Assert.Throws<WorkflowException>(() => world.Workflow.Approve(world.Rita, WorkflowWorld.Guideline, revision.Number, revision.SubmittedHash!));

        Assert.Equal(before, world.Workflow.GetAuditTrail().Count);
        Assert.True(world.Workflow.VerifyAuditTrail().IsIntact);
    }
}
