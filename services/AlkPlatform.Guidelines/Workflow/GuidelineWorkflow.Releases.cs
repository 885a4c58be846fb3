using AlkPlatform.Guidelines.Content;
using AlkPlatform.Guidelines.Releases;
using AlkPlatform.Guidelines.Storage;

namespace AlkPlatform.Guidelines.Workflow;

public sealed partial class GuidelineWorkflow
{
    // Serialises publish/rollback/retire so the feed announces changes in the order they were committed.
    private readonly Lock _releaseGate = new();

    /// <summary>
    /// Publishes an approved revision now: re-checks quorum and hash binding, runs every canonical scenario, cuts an immutable
    /// release with the real approvals, makes it the guideline's only live revision and announces it on <see cref="Feed"/>.
    /// The <paramref name="reason"/> is required and recorded in the audit trail.
    /// </summary>
    public Release Publish(Actor actor, string guidelineId, int number, string reason)
    {
        ArgumentNullException.ThrowIfNull(actor);
        lock (_releaseGate)
        {
            var release = _store.Write(tx => PublishIn(tx, actor, guidelineId, number, AuditActions.Published, reason));
            Feed.Announce(release);
            return release;
        }
    }

    /// <summary>Checks the publish gate now and schedules the go-live; <see cref="PublishDue"/> publishes it when the time comes.</summary>
    public Revision SchedulePublish(Actor actor, string guidelineId, int number, DateTimeOffset goLiveAt)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return _store.Write(tx =>
        {
            var revision = Load(tx, guidelineId, number);
            RevisionStateMachine.EnsureAllowed(RevisionAction.Publish, actor, revision.State, guidelineId, number);
            var now = Now();
            if (goLiveAt <= now)
            {
                throw new WorkflowException(WorkflowErrorCode.ValidationFailed, $"The go-live time {goLiveAt:u} is not in the future; publish now instead.");
            }
            CheckPublishGate(tx, revision);
            tx.Revisions.SetScheduledGoLive(guidelineId, number, goLiveAt);
            Audit(tx, actor, AuditActions.PublishScheduled, revision, $"go-live {goLiveAt:u}", now);
            return Load(tx, guidelineId, number);
        });
    }

    /// <summary>Publishes every scheduled revision whose time has come; one that now fails its gate is left and the failure audited.</summary>
    public IReadOnlyList<Release> PublishDue()
    {
        var published = new List<Release>();
        foreach (var revision in _store.Read(tx => tx.Revisions.ListScheduled(Now())))
        {
            try
            {
                lock (_releaseGate)
                {
                    var release = _store.Write(tx => PublishIn(tx, Actor.Scheduler, revision.GuidelineId, revision.Number, AuditActions.Published,
                        $"scheduled go-live {revision.ScheduledGoLive:u}"));
                    Feed.Announce(release);
                    published.Add(release);
                }
            }
            catch (WorkflowException ex)
            {
                _store.Write(tx =>
                {
                    tx.Revisions.SetScheduledGoLive(revision.GuidelineId, revision.Number, null);
                    return Audit(tx, Actor.Scheduler, AuditActions.ScheduledPublishFailed, revision, ex.Message, Now());
                });
            }
        }
        return published;
    }

    /// <summary>Makes an earlier released revision live again (its release is reused unchanged); a reason is required.</summary>
    public Release Rollback(Actor actor, string guidelineId, int toRevision, string reason)
    {
        ArgumentNullException.ThrowIfNull(actor);
        lock (_releaseGate)
        {
            var release = _store.Write(tx =>
            {
                var target = Load(tx, guidelineId, toRevision);
                RevisionStateMachine.EnsureAllowed(RevisionAction.Rollback, actor, target.State, guidelineId, toRevision);
                RequireText(reason, "A rollback", WorkflowErrorCode.ReasonRequired);
                var release = tx.Releases.Find(guidelineId, toRevision)
                    ?? throw new WorkflowException(WorkflowErrorCode.InvalidState, $"Revision {toRevision} of '{guidelineId}' was never released.");
                release.Verify();
                var now = Now();
                if (tx.Releases.LiveRevisionNumber(guidelineId) is { } live)
                {
                    Transition(tx, actor, Load(tx, guidelineId, live), RevisionState.Superseded, AuditActions.RolledBack, $"rolled back to revision {toRevision}: {reason}");
                }
                tx.Releases.SetLive(guidelineId, release.ReleaseId, now);
                Transition(tx, actor, target, RevisionState.Live, AuditActions.RolledBack, $"release {release.ReleaseId} live again: {reason}");
                return release;
            });
            Feed.Announce(release);
            return release;
        }
    }

    /// <summary>Takes a guideline offline: its live revision is retired and services stop answering for it.</summary>
    public RetiredGuideline Retire(Actor actor, string guidelineId, string reason)
    {
        ArgumentNullException.ThrowIfNull(actor);
        lock (_releaseGate)
        {
            var retired = _store.Write(tx =>
            {
                RevisionStateMachine.EnsureRole(RevisionAction.Retire, actor);
                if (!tx.Guidelines.Exists(guidelineId))
                {
                    throw new WorkflowException(WorkflowErrorCode.NotFound, $"Guideline '{guidelineId}' does not exist.");
                }
                var live = tx.Releases.LiveRevisionNumber(guidelineId)
                    ?? throw new WorkflowException(WorkflowErrorCode.InvalidState, $"Guideline '{guidelineId}' has no live revision to retire.");
                var revision = Load(tx, guidelineId, live);
                RevisionStateMachine.EnsureState(RevisionAction.Retire, revision.State, guidelineId, live);
                RequireText(reason, "Retiring a guideline", WorkflowErrorCode.ReasonRequired);
                var now = Now();
                tx.Releases.ClearLive(guidelineId);
                tx.Guidelines.MarkRetired(guidelineId, reason, now);
                Transition(tx, actor, revision, RevisionState.Retired, AuditActions.Retired, reason);
                return new RetiredGuideline(guidelineId, reason, now);
            });
            Feed.AnnounceRetired(retired);
            return retired;
        }
    }

    private Release PublishIn(ContentTransaction tx, Actor actor, string guidelineId, int number, string action, string reason)
    {
        var revision = Load(tx, guidelineId, number);
        RevisionStateMachine.EnsureAllowed(RevisionAction.Publish, actor, revision.State, guidelineId, number);
        RequireText(reason, "Publishing", WorkflowErrorCode.ReasonRequired);
        var approvals = CheckPublishGate(tx, revision);
        var now = Now();
        var release = Release.Cut(revision.Content, number, approvals.Max(a => a.ApprovedAt), now,
            $"board approval: {approvals.Count} distinct approvers (quorum {Quorum.Size})", approvals);
        if (release.ContentHash != revision.SubmittedHash)
        {
            throw new WorkflowException(WorkflowErrorCode.HashMismatch,
                $"The release would carry content {Short(release.ContentHash)}, not the approved {Short(revision.SubmittedHash)}.");
        }
        release.Verify();
        tx.Releases.Insert(release);
        if (tx.Releases.LiveRevisionNumber(guidelineId) is { } live)
        {
            Transition(tx, actor, Load(tx, guidelineId, live), RevisionState.Superseded, action, $"superseded by revision {number}: {reason}");
        }
        tx.Releases.SetLive(guidelineId, release.ReleaseId, now);
        Transition(tx, actor, revision, RevisionState.Live, action, $"release {release.ReleaseId}: {reason}");
        return release;
    }

    /// <summary>Quorum of valid approvals on the frozen hash, stored bytes still hashing to it, and every scenario passing.</summary>
    private IReadOnlyList<RevisionApproval> CheckPublishGate(ContentTransaction tx, Revision revision)
    {
        var stored = GuidelineJson.ComputeHash(tx.Revisions.ReadStoredContent(revision.GuidelineId, revision.Number));
        if (revision.SubmittedHash is null || stored != revision.SubmittedHash)
        {
            throw new WorkflowException(WorkflowErrorCode.HashMismatch,
                $"Revision {revision.Number} of '{revision.GuidelineId}' now hashes to {Short(stored)}, but it was submitted and approved as " +
                $"{Short(revision.SubmittedHash)}. Its approvals do not cover these bytes; it cannot be published.");
        }
        var approvals = Quorum.EnsureMetBy(Evidence(tx, revision));
        var problems = ContentGates.CheckScenarios(revision.Content);
        if (problems.Count > 0)
        {
            throw new GateFailedException(WorkflowErrorCode.ScenariosFailed, "Publish", problems);
        }
        return approvals;
    }
}
