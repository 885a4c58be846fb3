using AlkPlatform.Guidelines.Content;
using AlkPlatform.Guidelines.Releases;
using AlkPlatform.Guidelines.Workflow;

namespace AlkPlatform.Guidelines.Tests.Workflow;

public class ReleaseTests
{
    [Fact]
    public void Open_FreshDatabase_SeedsBundledGuidelineAsLiveRevisionOne()
    {
        using var world = new WorkflowWorld();
        var bundled = BundledSeedRelease.Create();

        var revisions = world.Workflow.ListRevisions(WorkflowWorld.Guideline);
        var live = world.Workflow.GetLiveRelease(WorkflowWorld.Guideline)!;
        var approval = Assert.Single(world.Workflow.GetApprovals(WorkflowWorld.Guideline, 1));

        var revision = Assert.Single(revisions);
        Assert.Equal(RevisionState.Live, revision.State);
        Assert.Equal(bundled.ReleaseId, live.ReleaseId);
        Assert.Equal(bundled.ContentHash, live.ContentHash);
        Assert.True(bundled.CanonicalContent.Span.SequenceEqual(live.CanonicalContent.Span));
        Assert.Equal(bundled.ApprovalBasis, live.ApprovalBasis);
        Assert.StartsWith("bootstrap:", approval.SignatureMeaning, StringComparison.Ordinal);
        Assert.Equal(Actor.Bootstrap.Id, approval.ApproverId);
        Assert.Equal([AuditActions.BootstrapSeeded, AuditActions.FeedEventSigned], world.Workflow.GetAuditTrail().Select(e => e.Action));
        Assert.Equal([bundled.ReleaseId], world.Workflow.Feed.LiveReleases.Select(r => r.ReleaseId));
    }

    [Fact]
    public void Open_ExistingDatabase_DoesNotSeedAgain()
    {
        using var world = new WorkflowWorld();
        world.Draft();

        var reopened = world.Reopen();

        Assert.Equal(2, reopened.ListRevisions(WorkflowWorld.Guideline).Count);
        Assert.Single(reopened.GetAuditTrail(), e => e.Action == AuditActions.BootstrapSeeded);
    }

    [Fact]
    public void Publish_Approved_CutsReleaseWithRealApprovalsAndSupersedesSeed()
    {
        using var world = new WorkflowWorld();
        var approved = world.Approved();

        var release = world.Workflow.Publish(world.Paul, WorkflowWorld.Guideline, approved.Number, "Quorum reached; scenarios pass.");

        Assert.Equal(approved.SubmittedHash, release.ContentHash);
        Assert.Equal(Release.MakeId(WorkflowWorld.Guideline, approved.Number, approved.SubmittedHash!), release.ReleaseId);
        Assert.Equal(["Ann Approver", "Abe Approver"], release.Approvals.Select(a => a.ApproverName));
        Assert.Equal(40, release.Verify().Rules.Single(r => r.Id == "R-RR-ALECTINIB").Card.Therapy!.DoseOptions[0].When!.Value!.Value.GetInt32());
        Assert.Equal(RevisionState.Live, world.Workflow.GetRevision(WorkflowWorld.Guideline, approved.Number).State);
        Assert.Equal(RevisionState.Superseded, world.Workflow.GetRevision(WorkflowWorld.Guideline, 1).State);
        Assert.Equal(release.ReleaseId, world.Workflow.GetLiveRelease(WorkflowWorld.Guideline)!.ReleaseId);
        Assert.Equal(approved.Number, Assert.Single(world.Workflow.ListGuidelines()).LiveRevision);
        Assert.Equal([release.ReleaseId], world.Workflow.Feed.LiveReleases.Select(r => r.ReleaseId));
    }

    [Fact]
    public void Publish_WithReason_RecordsItInTheAuditEntry()
    {
        using var world = new WorkflowWorld();
        var approved = world.Approved();

        world.Workflow.Publish(world.Paul, WorkflowWorld.Guideline, approved.Number, "Weight-based alectinib dosing agreed at the March board.");

        Assert.Contains(world.Workflow.GetAuditTrail(), e => e.Action == AuditActions.Published && e.RevisionNumber == approved.Number
            && e.Reason!.Contains("Weight-based alectinib dosing agreed at the March board.", StringComparison.Ordinal) && e.ActorName == "Paul Publisher");
        Assert.True(world.Workflow.VerifyAuditTrail().IsIntact);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Publish_WithoutReason_IsRefusedAndNothingGoesLive(string reason)
    {
        using var world = new WorkflowWorld();
        var approved = world.Approved();

        var refused = Assert.Throws<WorkflowException>(() => world.Workflow.Publish(world.Paul, WorkflowWorld.Guideline, approved.Number, reason));

        Assert.Equal(WorkflowErrorCode.ReasonRequired, refused.Code);
        Assert.Equal(RevisionState.Approved, world.Workflow.GetRevision(WorkflowWorld.Guideline, approved.Number).State);
        Assert.Equal(1, world.Workflow.GetLiveRelease(WorkflowWorld.Guideline)!.RevisionNumber);
        Assert.DoesNotContain(world.Workflow.GetAuditTrail(), e => e.Action == AuditActions.Published);
    }

    [Fact]
    public void Publish_WhenAScenarioFails_IsRefusedNamingTheScenario()
    {
        using var world = new WorkflowWorld();
        // Lenalidomide moved to frontline: still valid content, but the relapsed/refractory scenarios now miss its card.
        var approved = world.Approved(c => c with
        {
            Rules = [.. c.Rules.Select(r => r.Id == "R-LENALIDOMIDE"
                ? r with { When = new Condition { Fact = "line_of_therapy", Op = ComparisonOperator.Eq, Value = System.Text.Json.JsonSerializer.SerializeToElement("frontline") } }
                : r)],
        });

        var refused = Assert.Throws<GateFailedException>(() => world.Workflow.Publish(world.Paul, WorkflowWorld.Guideline, approved.Number, "Quorum reached; scenarios pass."));

        Assert.Equal(WorkflowErrorCode.ScenariosFailed, refused.Code);
        Assert.Contains(refused.Problems, p => p.Reason.StartsWith("scenario 'rr-70kg-no-cns' expects cards", StringComparison.Ordinal));
        Assert.Equal(1, world.Workflow.GetLiveRelease(WorkflowWorld.Guideline)!.RevisionNumber);
        Assert.Single(world.Workflow.ListReleases(WorkflowWorld.Guideline));
    }

    [Fact]
    public void CheckScenarios_SeedGuideline_AllPass() => Assert.Empty(ContentGates.CheckScenarios(SeedGuideline.Load()));

    [Fact]
    public void Rollback_ToEarlierBoardRelease_MakesItLiveAgainAndRecordsReason()
    {
        using var world = new WorkflowWorld();
        var earlier = world.Live();
        world.Tick();
        var later = world.Live();
        var earlierRelease = world.Workflow.ListReleases(WorkflowWorld.Guideline).Single(r => r.RevisionNumber == earlier.Number);

        var release = world.Workflow.Rollback(world.Olga, WorkflowWorld.Guideline, earlier.Number, "Pharmacy reports the later wording is wrong.");

        Assert.Equal(earlierRelease.ReleaseId, release.ReleaseId);
        Assert.Equal(RevisionState.Live, world.Workflow.GetRevision(WorkflowWorld.Guideline, earlier.Number).State);
        Assert.Equal(RevisionState.Superseded, world.Workflow.GetRevision(WorkflowWorld.Guideline, later.Number).State);
        Assert.Equal(release.ReleaseId, world.Workflow.GetLiveRelease(WorkflowWorld.Guideline)!.ReleaseId);
        Assert.Contains(world.Workflow.GetAuditTrail(), e => e.Action == AuditActions.RolledBack && e.RevisionNumber == earlier.Number
            && e.Reason!.Contains("Pharmacy reports the later wording is wrong.", StringComparison.Ordinal) && e.ActorName == "Olga Ops");
        Assert.Equal([release.ReleaseId], world.Workflow.Feed.LiveReleases.Select(r => r.ReleaseId));
    }

    [Fact]
    public void Rollback_ToBootstrapSeedAfterABoardRelease_IsRefusedAndNeedsAFreshQuorum()
    {
        using var world = new WorkflowWorld();
        var live = world.Live();
        var eventsBefore = world.Workflow.ListReleaseEvents().Count;

        var refused = Assert.Throws<WorkflowException>(() =>
            world.Workflow.Rollback(world.Olga, WorkflowWorld.Guideline, 1, "Pharmacy reports the 40 kg threshold is wrong."));

        Assert.Equal(WorkflowErrorCode.QuorumNotReached, refused.Code);
        Assert.Contains("was live with 0 of the 2 board approvals", refused.Message, StringComparison.Ordinal);
        Assert.Contains("needs a fresh quorum: start a draft from revision 1 and take it through review", refused.Message, StringComparison.Ordinal);
        Assert.Equal(live.Number, world.Workflow.GetLiveRelease(WorkflowWorld.Guideline)!.RevisionNumber);
        Assert.Equal(RevisionState.Superseded, world.Workflow.GetRevision(WorkflowWorld.Guideline, 1).State);
        Assert.Equal(eventsBefore, world.Workflow.ListReleaseEvents().Count);
        Assert.DoesNotContain(world.Workflow.GetAuditTrail(), e => e.Action == AuditActions.RolledBack);
    }

    [Fact]
    public void Rollback_ToReleaseWhoseApprovalsNoLongerMakeTheQuorum_IsRefused()
    {
        using var world = new WorkflowWorld();
        var earlier = world.Live();
        world.Tick();
        var later = world.Live();
        // The board raised its quorum to three: a release approved by two is no longer a full quorum.
        var workflow = world.Reopen(new WorkflowOptions { ApprovalQuorum = 3 });

        var refused = Assert.Throws<WorkflowException>(() => workflow.Rollback(world.Olga, WorkflowWorld.Guideline, earlier.Number, "Back to the earlier wording."));

        Assert.Equal(WorkflowErrorCode.QuorumNotReached, refused.Code);
        Assert.Contains("was live with 2 of the 3 board approvals", refused.Message, StringComparison.Ordinal);
        Assert.Equal(later.Number, workflow.GetLiveRelease(WorkflowWorld.Guideline)!.RevisionNumber);
    }

    [Fact]
    public void Rollback_WithoutReason_IsRefused()
    {
        using var world = new WorkflowWorld();
        var live = world.Live();

        var refused = Assert.Throws<WorkflowException>(() => world.Workflow.Rollback(world.Olga, WorkflowWorld.Guideline, 1, ""));

        Assert.Equal(WorkflowErrorCode.ReasonRequired, refused.Code);
        Assert.Equal(live.Number, world.Workflow.GetLiveRelease(WorkflowWorld.Guideline)!.RevisionNumber);
    }

    [Fact]
    public void Retire_LiveGuideline_TakesItOfflineAndAnnouncesIt()
    {
        using var world = new WorkflowWorld();

        var retired = world.Workflow.Retire(world.Olga, WorkflowWorld.Guideline, "Replaced by the national lymphoma guideline.");

        Assert.Null(world.Workflow.GetLiveRelease(WorkflowWorld.Guideline));
        Assert.Equal(RevisionState.Retired, world.Workflow.GetRevision(WorkflowWorld.Guideline, 1).State);
        var summary = Assert.Single(world.Workflow.ListGuidelines());
        Assert.Null(summary.LiveRevision);
        Assert.Equal("Replaced by the national lymphoma guideline.", summary.RetiredReason);
        Assert.Empty(world.Workflow.Feed.LiveReleases);
        Assert.Equal(retired, Assert.Single(world.Workflow.Feed.RetiredGuidelines));
        Assert.Empty(world.Reopen().Feed.LiveReleases);
    }

    [Fact]
    public void Retire_GuidelineWithNothingLive_IsRefused()
    {
        using var world = new WorkflowWorld();
        world.Workflow.Retire(world.Olga, WorkflowWorld.Guideline, "Withdrawn from use.");

        var refused = Assert.Throws<WorkflowException>(() => world.Workflow.Retire(world.Olga, WorkflowWorld.Guideline, "Again."));

        Assert.Equal(WorkflowErrorCode.InvalidState, refused.Code);
    }

    [Fact]
    public async Task Feed_Watch_StreamsSnapshotThenEachPublishAndRetirement()
    {
        using var world = new WorkflowWorld();
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cancel.CancelAfter(TimeSpan.FromSeconds(30));
        await using var stream = world.Workflow.Feed.WatchAsync(cancel.Token).GetAsyncEnumerator(cancel.Token);

        Assert.True(await stream.MoveNextAsync());
        var snapshot = Assert.IsType<ReleaseWentLive>(stream.Current);
        Assert.True(await stream.MoveNextAsync());
        Assert.IsType<SnapshotCompleted>(stream.Current);

        var next = stream.MoveNextAsync();
        var published = world.Workflow.Publish(world.Paul, WorkflowWorld.Guideline, world.Approved().Number, "Quorum reached; scenarios pass.");
        Assert.True(await next);
        var change = Assert.IsType<ReleaseWentLive>(stream.Current);
        world.Workflow.Retire(world.Olga, WorkflowWorld.Guideline, "Offline for review.");
        Assert.True(await stream.MoveNextAsync());
        var retired = Assert.IsType<GuidelineWasRetired>(stream.Current);

        Assert.Equal(BundledSeedRelease.Create().ReleaseId, snapshot.Release.ReleaseId);
        Assert.Equal(published.ReleaseId, change.Release.ReleaseId);
        Assert.Equal(WorkflowWorld.Guideline, retired.Guideline.GuidelineId);
    }

    [Fact]
    public void PublishDue_ScheduledGoLive_PublishesOnlyWhenTimeHasCome()
    {
        using var world = new WorkflowWorld();
        var approved = world.Approved();
        var goLive = world.Clock.GetUtcNow().AddHours(2);
        world.Workflow.SchedulePublish(world.Paul, WorkflowWorld.Guideline, approved.Number, goLive);

        var early = world.Workflow.PublishDue();
        world.Clock.Advance(TimeSpan.FromHours(2));
        var due = world.Workflow.PublishDue();

        Assert.Empty(early);
        var release = Assert.Single(due);
        Assert.Equal(goLive, release.PublishedAt);
        Assert.Equal(approved.Number, world.Workflow.GetLiveRelease(WorkflowWorld.Guideline)!.RevisionNumber);
        Assert.Empty(world.Workflow.PublishDue());
    }
}
