using AlkPlatform.Guidelines.Releases;
using AlkPlatform.Guidelines.Releases.Signing;
using AlkPlatform.Guidelines.Storage;
using AlkPlatform.Guidelines.Workflow;
using Dapper;
using Microsoft.Data.Sqlite;

namespace AlkPlatform.Guidelines.Tests.Workflow;

/// <summary>
/// Every change to what is served is signed by the portal's key inside the transaction that makes it, stored, and what
/// the feed sends: a service holding only the public key can verify it.
/// </summary>
public sealed class SignedReleaseEventTests : IDisposable
{
    private readonly WorkflowWorld _world = new();
    private readonly TrustedReleaseKeys _trusted;
    private readonly ReleaseEventVerifier _service;

    public SignedReleaseEventTests()
    {
        _trusted = TrustedReleaseKeys.FromPems([_world.SigningKey.ExportPublicKeyPem()]);
        _service = new ReleaseEventVerifier(_trusted, approvalQuorum: 2);
    }

    private GuidelineWorkflow Workflow => _world.Workflow;

    private IReadOnlyList<StoredReleaseEvent> Events => Workflow.ListReleaseEvents();

    private static ActiveReleaseEvent Active(StoredReleaseEvent stored) =>
        new(stored.Envelope.Sequence, stored.Envelope.RevisionNumber, stored.Envelope.ReleaseId);

    [Fact]
    public void Open_FreshDatabase_SignsTheSeedOnceWithItsZeroBoardApprovals_WhichAServiceRefusesForQuorum()
    {
        var seed = Assert.Single(Events);
        var chain = Workflow.GetAuditTrail();

        Assert.Equal(ReleaseEventKind.Release, seed.Envelope.Kind);
        Assert.Equal(BundledSeedRelease.Create().ReleaseId, seed.Envelope.ReleaseId);
        Assert.Equal(1, seed.Envelope.Sequence);
        Assert.Empty(seed.Envelope.Approvals);
        Assert.Equal(BundledSeedRelease.ApprovalBasis, seed.Envelope.ApprovalBasis);
        Assert.Equal(AuditActions.FeedEventSigned, chain[^1].Action);
        Assert.Equal(new AuditChainHead(chain[^1].Sequence, chain[^1].EntryHash), seed.Envelope.AuditHead);
        var refusal = Assert.Throws<ReleaseVerificationException>(() =>
            _service.VerifyRelease(seed.Envelope.ReleaseId, seed.Event, BundledSeedRelease.Create().CanonicalContent, active: null));
        Assert.Contains("0 distinct approval(s); the quorum is 2", refusal.Message, StringComparison.Ordinal);

        var reopened = _world.Reopen();
        Assert.Single(reopened.ListReleaseEvents());
        Assert.Single(reopened.GetAuditTrail(), e => e.Action == AuditActions.FeedEventSigned);
    }

    [Fact]
    public void Publish_SignsTheReleaseInItsTransaction_WithSequenceApprovalsAndTheAuditHeadAfterItsEntries()
    {
        var approved = _world.Approved();
        _world.Tick();

        var release = Workflow.Publish(_world.Paul, WorkflowWorld.Guideline, approved.Number, "Quorum reached; scenarios pass.");

        var (seed, published) = (Events[0], Events[1]);
        var chain = Workflow.GetAuditTrail();
        Assert.Equal(2, published.Envelope.Sequence);
        Assert.Equal(ReleaseEventKind.Release, published.Envelope.Kind);
        Assert.Equal(release.ReleaseId, published.Envelope.ReleaseId);
        Assert.Equal(release.ContentHash, published.Envelope.ContentHash);
        Assert.Equal(["Ann Approver", "Abe Approver"], published.Envelope.Approvals.Select(a => a.ApproverName));
        Assert.Equal("Quorum reached; scenarios pass.", published.Envelope.Reason);
        Assert.Equal(_world.SigningKey.KeyId, published.Event.KeyId);
        Assert.Equal((AuditActions.Published, approved.Number), (chain[^1].Action, chain[^1].RevisionNumber));
        Assert.Equal(new AuditChainHead(chain[^1].Sequence, chain[^1].EntryHash), published.Envelope.AuditHead);
        var verified = _service.VerifyRelease(release.ReleaseId, published.Event, release.CanonicalContent, Active(seed));
        Assert.Equal(release.ReleaseId, verified.Release!.ReleaseId);
    }

    [Fact]
    public async Task Feed_SendsTheStoredSignedEvents_InTheSnapshotAndForEachChange_AndAfterAReopen()
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cancel.CancelAfter(TimeSpan.FromSeconds(30));
        await using var stream = Workflow.Feed.WatchAsync(cancel.Token).GetAsyncEnumerator(cancel.Token);
        Assert.True(await stream.MoveNextAsync());
        var snapshot = Assert.IsType<ReleaseWentLive>(stream.Current);
        Assert.True(await stream.MoveNextAsync());

        var next = stream.MoveNextAsync();
        Workflow.Publish(_world.Paul, WorkflowWorld.Guideline, _world.Approved().Number, "Quorum reached; scenarios pass.");
        Assert.True(await next);
        var published = Assert.IsType<ReleaseWentLive>(stream.Current);
        Workflow.Retire(_world.Olga, WorkflowWorld.Guideline, "Offline for review.");
        Assert.True(await stream.MoveNextAsync());
        var retired = Assert.IsType<GuidelineWasRetired>(stream.Current);

        var stored = Events;
        Assert.Equal(3, stored.Count);
        AssertSameBytes(stored[0].Event, snapshot.SignedEvent!);
        AssertSameBytes(stored[1].Event, published.SignedEvent!);
        AssertSameBytes(stored[2].Event, retired.SignedEvent!);
        var verified = _service.VerifyRetirement(WorkflowWorld.Guideline, retired.SignedEvent, Active(stored[1]));
        Assert.Equal("Offline for review.", verified.Envelope.Reason);
        Assert.Equal(stored[1].Envelope.ReleaseId, verified.Envelope.ReleaseId);

        await using var afterRestart = _world.Reopen().Feed.WatchAsync(cancel.Token).GetAsyncEnumerator(cancel.Token);
        Assert.True(await afterRestart.MoveNextAsync());
        AssertSameBytes(stored[2].Event, Assert.IsType<GuidelineWasRetired>(afterRestart.Current).SignedEvent!);
    }

    [Fact]
    public void Rollback_ToABoardRelease_IsSignedAsARollbackThatAServiceAcceptsOverTheNewerRevision()
    {
        var earlier = _world.Live();
        _world.Tick();
        _world.Live();
        _world.Tick();

        var release = Workflow.Rollback(_world.Olga, WorkflowWorld.Guideline, earlier.Number, "The later wording gave wrong doses in clinic.");

        var events = Events;
        var rollback = events[^1];
        Assert.Equal((ReleaseEventKind.Rollback, 4L, release.ReleaseId), (rollback.Envelope.Kind, rollback.Envelope.Sequence, rollback.Envelope.ReleaseId));
        Assert.Equal(2, rollback.Envelope.Approvals.Count);
        var verified = _service.VerifyRelease(release.ReleaseId, rollback.Event, release.CanonicalContent, Active(events[^2]));
        Assert.Equal(earlier.Number, verified.Release!.RevisionNumber);
        Assert.Equal([release.ReleaseId], Workflow.Feed.LiveReleases.Select(r => r.ReleaseId));
    }

    [Fact]
    public void PublishDue_ScheduledGoLive_IsSignedLikeAPublish()
    {
        var approved = _world.Approved();
        Workflow.SchedulePublish(_world.Paul, WorkflowWorld.Guideline, approved.Number, _world.Clock.GetUtcNow().AddHours(1));
        _world.Clock.Advance(TimeSpan.FromHours(1));

        var release = Assert.Single(Workflow.PublishDue());

        var signed = Events[^1];
        Assert.Equal((ReleaseEventKind.Release, release.ReleaseId), (signed.Envelope.Kind, signed.Envelope.ReleaseId));
        Assert.StartsWith("scheduled go-live", signed.Envelope.Reason, StringComparison.Ordinal);
        _service.VerifyRelease(release.ReleaseId, signed.Event, release.CanonicalContent, Active(Events[0]));
    }

    [Fact]
    public void Publish_WhenSigningFails_LeavesNothingLive_NoReleaseNoAuditNoEvent()
    {
        var approved = _world.Approved();
        var auditBefore = Workflow.GetAuditTrail().Count;
        var failing = new FailingSigner(_world.SigningKey);
        var workflow = new GuidelineWorkflow(Workflow.Store, _world.Clock, failing);
        failing.Fail = true;

        Assert.Throws<InvalidOperationException>(() => workflow.Publish(_world.Paul, WorkflowWorld.Guideline, approved.Number, "Quorum reached; scenarios pass."));

        Assert.Equal(RevisionState.Approved, workflow.GetRevision(WorkflowWorld.Guideline, approved.Number).State);
        Assert.Equal(1, workflow.GetLiveRelease(WorkflowWorld.Guideline)!.RevisionNumber);
        Assert.Single(workflow.ListReleases(WorkflowWorld.Guideline));
        Assert.Equal(auditBefore, workflow.GetAuditTrail().Count);
        Assert.Single(workflow.ListReleaseEvents());
        Assert.Equal(1, workflow.Feed.LiveReleases.Single().RevisionNumber);
    }

    [Fact]
    public void Retire_WhenSigningFails_KeepsTheGuidelineLive()
    {
        var failing = new FailingSigner(_world.SigningKey);
        var workflow = new GuidelineWorkflow(Workflow.Store, _world.Clock, failing);
        failing.Fail = true;

        Assert.Throws<InvalidOperationException>(() => workflow.Retire(_world.Olga, WorkflowWorld.Guideline, "Offline for review."));

        Assert.NotNull(workflow.GetLiveRelease(WorkflowWorld.Guideline));
        Assert.Null(Assert.Single(workflow.ListGuidelines()).RetiredAt);
        Assert.Single(workflow.ListReleaseEvents());
    }

    [Fact]
    public void Open_DatabaseWhoseLiveReleaseHasNoSignedEvent_SignsItOnceWithItsBoardApprovals()
    {
        var live = _world.Live();
        using (var connection = new SqliteConnection($"Data Source={_world.DatabasePath};Pooling=False"))
        {
            // As a database written before events were signed: the same state, no release_events rows.
            connection.Open();
            connection.Execute("DROP TRIGGER release_events_append_only; DELETE FROM release_events;");
        }

        var reopened = _world.Reopen();

        var signed = Assert.Single(reopened.ListReleaseEvents());
        var release = reopened.GetLiveRelease(WorkflowWorld.Guideline)!;
        Assert.Equal((ReleaseEventKind.Release, 1L, live.Number), (signed.Envelope.Kind, signed.Envelope.Sequence, signed.Envelope.RevisionNumber));
        Assert.Equal(AuditActions.FeedEventSigned, reopened.GetAuditTrail()[^1].Action);
        _service.VerifyRelease(release.ReleaseId, signed.Event, release.CanonicalContent, active: null);
    }

    [Fact]
    public void Open_LivePointerChangedBySql_IsNotSigned_AndTheFeedKeepsServingTheSignedRelease()
    {
        var live = _world.Live();
        var signedRelease = Workflow.GetLiveRelease(WorkflowWorld.Guideline)!.ReleaseId;
        _world.Sql("UPDATE live_releases SET release_id = @seed", new { seed = BundledSeedRelease.Create().ReleaseId });

        var reopened = _world.Reopen();

        Assert.Equal(2, reopened.ListReleaseEvents().Count);
        Assert.Equal([signedRelease], reopened.Feed.LiveReleases.Select(r => r.ReleaseId));
        Assert.Equal(live.Number, reopened.Feed.LiveReleases.Single().RevisionNumber);
    }

    [Fact]
    public void StoredEvents_CannotBeUpdatedOrDeleted()
    {
        var update = Assert.Throws<SqliteException>(() => _world.Sql("UPDATE release_events SET key_id = 'p256-0000000000000000'"));
        var delete = Assert.Throws<SqliteException>(() => _world.Sql("DELETE FROM release_events"));

        Assert.Contains("immutable", update.Message, StringComparison.Ordinal);
        Assert.Contains("never deleted", delete.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _trusted.Dispose();
        _world.Dispose();
    }

    private static void AssertSameBytes(SignedReleaseEvent expected, SignedReleaseEvent actual)
    {
        Assert.True(expected.Envelope.Span.SequenceEqual(actual.Envelope.Span));
        Assert.True(expected.Signature.Span.SequenceEqual(actual.Signature.Span));
        Assert.Equal(expected.KeyId, actual.KeyId);
    }

    /// <summary>The portal's key, until the test makes signing fail (as a key store that stops answering would).</summary>
    private sealed class FailingSigner(ReleaseSigningKey key) : IReleaseEventSigner
    {
        public bool Fail { get; set; }

        public string KeyId => key.KeyId;

        public string ExportPublicKeyPem() => key.ExportPublicKeyPem();

        public SignedReleaseEvent Sign(ReleaseEventEnvelope envelope) =>
            Fail ? throw new InvalidOperationException("The signing key is unavailable.") : key.Sign(envelope);
    }
}
