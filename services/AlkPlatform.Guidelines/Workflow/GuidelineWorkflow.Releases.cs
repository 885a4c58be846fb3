using AlkPlatform.Guidelines.Content;
using AlkPlatform.Guidelines.Releases;
using AlkPlatform.Guidelines.Releases.Signing;
using AlkPlatform.Guidelines.Storage;

namespace AlkPlatform.Guidelines.Workflow;

public sealed partial class GuidelineWorkflow
{
    // Serialises publish/rollback/retire so the feed announces changes in the order they were committed.
    private readonly Lock _releaseGate = new();

    /// <summary>
    /// Publishes an approved revision now: re-checks quorum and hash binding, runs every canonical scenario, cuts an immutable
    /// release with the real approvals, makes it the guideline's only live revision, signs the release event and announces
    /// it on <see cref="Feed"/>. Release, live pointer, audit entries and signed event commit together or not at all.
    /// The <paramref name="reason"/> is required and recorded in the audit trail.
    /// </summary>
    public Release Publish(Actor actor, string guidelineId, int number, string reason)
    {
        ArgumentNullException.ThrowIfNull(actor);
        lock (_releaseGate)
        {
            var (release, signed) = _store.Write(tx =>
            {
                var release = PublishIn(tx, actor, guidelineId, number, AuditActions.Published, reason);
                return (release, SignRelease(tx, ReleaseEventKind.Release, release, reason));
            });
            Feed.Announce(release, signed);
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
                    var reason = $"scheduled go-live {revision.ScheduledGoLive:u}";
                    var (release, signed) = _store.Write(tx =>
                    {
                        var release = PublishIn(tx, Actor.Scheduler, revision.GuidelineId, revision.Number, AuditActions.Published, reason);
                        return (release, SignRelease(tx, ReleaseEventKind.Release, release, reason));
                    });
                    Feed.Announce(release, signed);
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

    /// <summary>
    /// Makes an earlier released revision live again as a signed rollback (its release is reused unchanged); a reason is
    /// required. Only a release that went live with a full board quorum can come back this way.
    /// </summary>
    public Release Rollback(Actor actor, string guidelineId, int toRevision, string reason)
    {
        ArgumentNullException.ThrowIfNull(actor);
        lock (_releaseGate)
        {
            var (release, signed) = _store.Write(tx =>
            {
                var target = Load(tx, guidelineId, toRevision);
                RevisionStateMachine.EnsureAllowed(RevisionAction.Rollback, actor, target.State, guidelineId, toRevision);
                RequireText(reason, "A rollback", WorkflowErrorCode.ReasonRequired);
                var release = tx.Releases.Find(guidelineId, toRevision)
                    ?? throw new WorkflowException(WorkflowErrorCode.InvalidState, $"Revision {toRevision} of '{guidelineId}' was never released.");
                release.Verify();
                EnsureReleasedWithQuorum(tx, target, release);
                var now = Now();
                if (tx.Releases.LiveRevisionNumber(guidelineId) is { } live)
                {
                    Transition(tx, actor, Load(tx, guidelineId, live), RevisionState.Superseded, AuditActions.RolledBack, $"rolled back to revision {toRevision}: {reason}");
                }
                tx.Releases.SetLive(guidelineId, release.ReleaseId, now);
                Transition(tx, actor, target, RevisionState.Live, AuditActions.RolledBack, $"release {release.ReleaseId} live again: {reason}");
                return (release, SignRelease(tx, ReleaseEventKind.Rollback, release, reason));
            });
            Feed.Announce(release, signed);
            return release;
        }
    }

    /// <summary>Takes a guideline offline: its live revision is retired and services stop answering for it.</summary>
    public RetiredGuideline Retire(Actor actor, string guidelineId, string reason)
    {
        ArgumentNullException.ThrowIfNull(actor);
        lock (_releaseGate)
        {
            var (retired, signed) = _store.Write(tx =>
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
                var liveRelease = tx.Releases.FindLive(guidelineId)!;
                tx.Releases.ClearLive(guidelineId);
                tx.Guidelines.MarkRetired(guidelineId, reason, now);
                Transition(tx, actor, revision, RevisionState.Retired, AuditActions.Retired, reason);
                var retired = new RetiredGuideline(guidelineId, reason, now);
                return (retired, SignRetirement(tx, retired, liveRelease));
            });
            Feed.AnnounceRetired(retired, signed);
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

    /// <summary>
    /// Rollback re-publishes only what the board approved: the release's own approvals must still make a full quorum of
    /// distinct independent approvers of this hash. The bootstrap seed (no board approval) can't come back this way.
    /// </summary>
    private void EnsureReleasedWithQuorum(ContentTransaction tx, Revision target, Release release)
    {
        var evidence = Evidence(tx, target) with { Approvals = release.Approvals };
        var counting = release.ContentHash == target.SubmittedHash ? ApprovalQuorum.Counting(evidence).Count : 0;
        if (counting >= Quorum.Size)
        {
            return;
        }
        throw new WorkflowException(WorkflowErrorCode.QuorumNotReached,
            $"Revision {target.Number} of '{target.GuidelineId}' was live with {counting} of the {Quorum.Size} board approvals a release needs, " +
            "so a rollback cannot make it live again. It needs a fresh quorum: start a draft from revision " +
            $"{target.Number} and take it through review and approval.");
    }

    /// <summary>Quorum of valid approvals on the frozen hash, stored bytes still hashing to it, every scenario passing, and Ask meeting its targets.</summary>
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
        var questions = ContentGates.CheckQuestions(revision.Content);
        if (questions.Count > 0)
        {
            throw new GateFailedException(WorkflowErrorCode.QuestionSetFailed, "Publish", questions);
        }
        return approvals;
    }

    /// <summary>
    /// Signs a release or rollback inside the transaction that made it live, after its audit entries: the envelope carries the
    /// guideline's next sequence number and the audit-chain head as it now stands, and is stored with the change.
    /// </summary>
    private SignedReleaseEvent SignRelease(ContentTransaction tx, ReleaseEventKind kind, Release release, string reason) =>
        Sign(tx, new ReleaseEventEnvelope
        {
            Kind = kind,
            GuidelineId = release.GuidelineId,
            ReleaseId = release.ReleaseId,
            RevisionNumber = release.RevisionNumber,
            ContentHash = release.ContentHash,
            Approvals = release.Approvals,
            ApprovalBasis = release.ApprovalBasis,
            Reason = reason,
            EventAt = Now(),
            Sequence = tx.ReleaseEvents.NextSequence(release.GuidelineId),
            AuditHead = tx.Audit.Head(),
            KeyId = _signer.KeyId,
        });

    /// <summary>Signs a retirement, naming the release that was live until now.</summary>
    private SignedReleaseEvent SignRetirement(ContentTransaction tx, RetiredGuideline retired, Release wasLive) =>
        Sign(tx, new ReleaseEventEnvelope
        {
            Kind = ReleaseEventKind.Retirement,
            GuidelineId = retired.GuidelineId,
            ReleaseId = wasLive.ReleaseId,
            RevisionNumber = wasLive.RevisionNumber,
            ContentHash = wasLive.ContentHash,
            Approvals = [],
            ApprovalBasis = "",
            Reason = retired.Reason,
            EventAt = retired.RetiredAt,
            Sequence = tx.ReleaseEvents.NextSequence(retired.GuidelineId),
            AuditHead = tx.Audit.Head(),
            KeyId = _signer.KeyId,
        });

    private SignedReleaseEvent Sign(ContentTransaction tx, ReleaseEventEnvelope envelope)
    {
        var signed = _signer.Sign(envelope);
        tx.ReleaseEvents.Insert(signed, envelope.EventAt);
        return signed;
    }

    /// <summary>
    /// A guideline that is live (or retired) but has no signed event yet — a database from before events were signed, or the
    /// freshly seeded one — gets one now, audited, so every subscriber can verify what is served. The seed's event carries
    /// its zero board approvals as they are. A guideline that has events is left alone: a live pointer that disagrees with
    /// its latest event is for the audit verifier to report, never something to sign.
    /// </summary>
    private void SignWhatIsServedUnsigned() => _store.Write(tx =>
    {
        var signed = tx.ReleaseEvents.ListLatest().Select(e => e.Envelope.GuidelineId).ToHashSet(StringComparer.Ordinal);
        foreach (var guideline in tx.Guidelines.List().Where(g => !signed.Contains(g.GuidelineId)))
        {
            var now = Now();
            if (tx.Releases.FindLive(guideline.GuidelineId) is { } live)
            {
                var reason = $"release {live.ReleaseId} was live without a signed feed event; signed when the portal opened its store";
                Audit(tx, Actor.StartUp, AuditActions.FeedEventSigned, Load(tx, live.GuidelineId, live.RevisionNumber), reason, now);
                SignRelease(tx, ReleaseEventKind.Release, live, reason);
            }
            else if (guideline.RetiredAt is { } retiredAt
                && tx.Revisions.List(guideline.GuidelineId).LastOrDefault(r => r.State == RevisionState.Retired) is { } last
                && tx.Releases.Find(guideline.GuidelineId, last.Number) is { } wasLive)
            {
                Audit(tx, Actor.StartUp, AuditActions.FeedEventSigned, last,
                    $"the retirement of '{guideline.GuidelineId}' had no signed feed event; signed when the portal opened its store", now);
                SignRetirement(tx, new RetiredGuideline(guideline.GuidelineId, guideline.RetiredReason ?? "", retiredAt), wasLive);
            }
        }
        return signed.Count;
    });

    /// <summary>
    /// After a key rotation: each guideline whose latest event was signed by an earlier key gets the same event again, signed
    /// with the current key under the next sequence number, audited. Only an event whose signature verifies under one of
    /// <paramref name="earlierKeys"/> (configuration, not the database) and whose audit head the chain still holds is re-signed,
    /// so nothing written into content.db by hand is ever vouched for by the new key.
    /// </summary>
    private void ReSignAfterRotation(TrustedReleaseKeys? earlierKeys)
    {
        if (earlierKeys is null || earlierKeys.IsEmpty)
        {
            return;
        }
        _store.Write(tx =>
        {
            var resigned = 0;
            foreach (var latest in tx.ReleaseEvents.ListLatest().Where(e => e.Event.KeyId != _signer.KeyId))
            {
                var envelope = latest.Envelope;
                if (earlierKeys.Check(latest.Event) is not null
                    || tx.Audit.Find(envelope.AuditHead.Sequence)?.EntryHash != envelope.AuditHead.EntryHash)
                {
                    continue;
                }
                var now = Now();
                Audit(tx, Actor.StartUp, AuditActions.FeedEventSigned, Load(tx, envelope.GuidelineId, envelope.RevisionNumber),
                    $"event {envelope.Sequence} ({envelope.ReleaseId}) re-signed with key {_signer.KeyId}; it was signed with {latest.Event.KeyId} before a key rotation", now);
                Sign(tx, envelope with
                {
                    EventAt = now,
                    Sequence = tx.ReleaseEvents.NextSequence(envelope.GuidelineId),
                    AuditHead = tx.Audit.Head(),
                    KeyId = _signer.KeyId,
                });
                resigned++;
            }
            return resigned;
        });
    }

    /// <summary>Each guideline's latest signed event as the feed serves it: the release it put live, or the retirement.</summary>
    private static IReadOnlyList<ReleaseFeedEvent> LatestSignedEvents(ContentTransaction tx) =>
        [.. tx.ReleaseEvents.ListLatest().Select(stored => stored.Envelope.Kind == ReleaseEventKind.Retirement
            ? (ReleaseFeedEvent)new GuidelineWasRetired(
                new RetiredGuideline(stored.Envelope.GuidelineId, stored.Envelope.Reason, stored.Envelope.EventAt), stored.Event)
            : new ReleaseWentLive(
                tx.Releases.FindById(stored.Envelope.ReleaseId)
                    ?? throw new InvalidOperationException($"Signed event {stored.Envelope.Sequence} of '{stored.Envelope.GuidelineId}' names release {stored.Envelope.ReleaseId}, which is not stored."),
                stored.Event))];
}
