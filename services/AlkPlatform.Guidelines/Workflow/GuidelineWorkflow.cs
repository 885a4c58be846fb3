using System.Text.RegularExpressions;
using AlkPlatform.Guidelines.Content;
using AlkPlatform.Guidelines.Diffs;
using AlkPlatform.Guidelines.Releases;
using AlkPlatform.Guidelines.Storage;

namespace AlkPlatform.Guidelines.Workflow;

/// <summary>
/// The guideline lifecycle: every action checks role, state and the board's rules, writes its change and its audit entry
/// in one transaction, and announces releases on <see cref="Feed"/> after they commit.
/// </summary>
public sealed partial class GuidelineWorkflow
{
    private readonly ContentStore _store;
    private readonly TimeProvider _time;
    // Serialises publish/rollback/retire so the feed announces changes in the order they were committed.
    private readonly Lock _releaseGate = new();

    public WorkflowOptions Options { get; }
    public ApprovalQuorum Quorum { get; }
    public ReleaseFeedHub Feed { get; }
    public ContentStore Store => _store;

    public GuidelineWorkflow(ContentStore store, TimeProvider time, WorkflowOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(time);
        _store = store;
        _time = time;
        Options = options ?? new WorkflowOptions();
        Options.Validate();
        Quorum = new ApprovalQuorum(Options.ApprovalQuorum);
        var (live, retired) = store.Read(tx => (tx.Releases.ListLive(), tx.Guidelines.ListRetired()));
        Feed = new ReleaseFeedHub(live, retired);
    }

    /// <summary>Opens (creating and seeding if new) the content database at <paramref name="databasePath"/>.</summary>
    public static GuidelineWorkflow Open(string databasePath, TimeProvider time, WorkflowOptions? options = null) =>
        new(ContentStore.Open(databasePath, time), time, options);

    // ---- queries

    public IReadOnlyList<GuidelineSummary> ListGuidelines() => _store.Read(tx => tx.Guidelines.List());

    public IReadOnlyList<Revision> ListRevisions(string guidelineId) => _store.Read(tx => tx.Revisions.List(guidelineId));

    public Revision GetRevision(string guidelineId, int number) =>
        _store.Read(tx => tx.Revisions.Find(guidelineId, number)) ?? throw RevisionNotFound(guidelineId, number);

    public IReadOnlyList<ReviewComment> GetComments(string guidelineId, int number) => _store.Read(tx => tx.Reviews.ListComments(guidelineId, number));

    public IReadOnlyList<RevisionApproval> GetApprovals(string guidelineId, int number) => _store.Read(tx => tx.Reviews.ListApprovals(guidelineId, number));

    /// <summary>The approvals that count towards <see cref="Quorum"/>, exactly as approval and publish count them.</summary>
    public IReadOnlyList<RevisionApproval> GetCountingApprovals(string guidelineId, int number) =>
        _store.Read(tx => ApprovalQuorum.Counting(Evidence(tx, Load(tx, guidelineId, number))));

    public Release? GetLiveRelease(string guidelineId) => _store.Read(tx => tx.Releases.FindLive(guidelineId));

    public IReadOnlyList<Release> ListReleases(string guidelineId) => _store.Read(tx => tx.Releases.List(guidelineId));

    public IReadOnlyList<AuditEntry> GetAuditTrail(string? guidelineId = null) => _store.Read(tx => tx.Audit.Read(guidelineId));

    public AuditVerification VerifyAuditTrail() => _store.Read(tx => tx.Audit.Verify());

    // ---- drafting

    /// <summary>Creates a guideline with an empty revision 1 as a draft.</summary>
    public Revision CreateGuideline(Actor actor, string guidelineId, string title)
    {
        ArgumentNullException.ThrowIfNull(actor);
        RevisionStateMachine.EnsureRole(RevisionAction.StartDraft, actor);
        if (string.IsNullOrWhiteSpace(guidelineId) || !GuidelineIdPattern().IsMatch(guidelineId))
        {
            throw new WorkflowException(WorkflowErrorCode.ValidationFailed,
                $"Guideline id '{guidelineId}' must be lowercase letters, digits and hyphens (e.g. 'alk-lbcl').");
        }
        if (string.IsNullOrWhiteSpace(title))
        {
            throw new WorkflowException(WorkflowErrorCode.ValidationFailed, "A new guideline needs a title.");
        }
        return _store.Write(tx =>
        {
            if (tx.Guidelines.Exists(guidelineId))
            {
                throw new WorkflowException(WorkflowErrorCode.AlreadyExists, $"Guideline '{guidelineId}' already exists.");
            }
            var now = Now();
            tx.Guidelines.Insert(guidelineId, title, now);
            var content = new GuidelineContent { GuidelineId = guidelineId, Title = title, Question = "" };
            var revision = tx.Revisions.Insert(guidelineId, 1, RevisionState.Draft, content, null, actor, now);
            Audit(tx, actor, AuditActions.GuidelineCreated, revision, null, now);
            return revision;
        });
    }

    /// <summary>Starts a new draft as a copy of <paramref name="fromRevision"/>, or empty when it is null.</summary>
    public Revision StartDraft(Actor actor, string guidelineId, int? fromRevision)
    {
        ArgumentNullException.ThrowIfNull(actor);
        RevisionStateMachine.EnsureRole(RevisionAction.StartDraft, actor);
        return _store.Write(tx =>
        {
            if (!tx.Guidelines.Exists(guidelineId))
            {
                throw new WorkflowException(WorkflowErrorCode.NotFound, $"Guideline '{guidelineId}' does not exist.");
            }
            GuidelineContent content;
            if (fromRevision is { } from)
            {
                content = (tx.Revisions.Find(guidelineId, from) ?? throw RevisionNotFound(guidelineId, from)).Content;
            }
            else
            {
                var latest = tx.Revisions.Find(guidelineId, tx.Revisions.NextNumber(guidelineId) - 1);
                content = new GuidelineContent { GuidelineId = guidelineId, Title = latest?.Content.Title ?? guidelineId, Question = "" };
            }
            var now = Now();
            var revision = tx.Revisions.Insert(guidelineId, tx.Revisions.NextNumber(guidelineId), RevisionState.Draft, content, fromRevision, actor, now);
            Audit(tx, actor, AuditActions.DraftStarted, revision, fromRevision is { } f ? $"from revision {f}" : "empty", now);
            return revision;
        });
    }

    /// <summary>
    /// Saves a draft's content. <paramref name="expectedRowVersion"/> is the version the editor started from; if anyone saved
    /// since, nothing is written and <see cref="EditConflictException"/> says who and what changed.
    /// </summary>
    public Revision SaveDraft(Actor actor, string guidelineId, int number, GuidelineContent content, long expectedRowVersion)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(content);
        return _store.Write(tx =>
        {
            var revision = Load(tx, guidelineId, number);
            RevisionStateMachine.EnsureAllowed(RevisionAction.SaveDraft, actor, revision.State, guidelineId, number);
            if (content.GuidelineId != guidelineId)
            {
                throw new WorkflowException(WorkflowErrorCode.GuidelineMismatch,
                    $"The content is guideline '{content.GuidelineId}', but this is a revision of '{guidelineId}'.");
            }
            EnsureCurrent(tx, revision, expectedRowVersion);
            var now = Now();
            if (!tx.Revisions.UpdateDraftContent(guidelineId, number, expectedRowVersion, content, actor, now))
            {
                // Unreachable while the write transaction holds the lock; refuse rather than audit a save that did not happen.
                throw new InvalidOperationException($"Revision {number} of '{guidelineId}' changed inside a write transaction.");
            }
            var saved = Load(tx, guidelineId, number);
            Audit(tx, actor, AuditActions.DraftSaved, saved, null, now);
            return saved;
        });
    }

    /// <summary>Runs the submit gate and freezes the revision: its hash is now what reviewers review and approvers sign.</summary>
    public Revision Submit(Actor actor, string guidelineId, int number, long expectedRowVersion)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return _store.Write(tx =>
        {
            var revision = Load(tx, guidelineId, number);
            RevisionStateMachine.EnsureAllowed(RevisionAction.Submit, actor, revision.State, guidelineId, number);
            EnsureCurrent(tx, revision, expectedRowVersion);
            var problems = ContentGates.CheckSubmit(revision.Content);
            if (problems.Count > 0)
            {
                throw new GateFailedException(WorkflowErrorCode.ValidationFailed, "Submit", problems);
            }
            var hash = GuidelineJson.ComputeHash(tx.Revisions.ReadStoredContent(guidelineId, number));
            var now = Now();
            tx.Revisions.Freeze(guidelineId, number, hash, now);
            var submitted = Load(tx, guidelineId, number);
            Audit(tx, actor, AuditActions.Submitted, submitted, null, now);
            return submitted;
        });
    }

    // ---- review

    public Revision StartReview(Actor actor, string guidelineId, int number)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return _store.Write(tx =>
        {
            var revision = Load(tx, guidelineId, number);
            RevisionStateMachine.EnsureRole(RevisionAction.StartReview, actor);
            ReviewRules.EnsureIndependent(actor, revision, tx.Revisions.Editors(guidelineId, number), RevisionAction.StartReview);
            RevisionStateMachine.EnsureState(RevisionAction.StartReview, revision.State, guidelineId, number);
            return Transition(tx, actor, revision, RevisionState.UnderReview, AuditActions.ReviewStarted, null);
        });
    }

    /// <summary>A comment on a statement (or the whole revision when <paramref name="statementId"/> is null), or a reply.</summary>
    public ReviewComment AddComment(Actor actor, string guidelineId, int number, string text, string? statementId = null, long? replyTo = null)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return _store.Write(tx =>
        {
            var revision = Load(tx, guidelineId, number);
            RevisionStateMachine.EnsureAllowed(RevisionAction.Comment, actor, revision.State, guidelineId, number);
            RequireText(text, "A comment");
            if (replyTo is { } parentId)
            {
                var parent = tx.Reviews.FindComment(parentId);
                if (parent is null || parent.GuidelineId != guidelineId || parent.RevisionNumber != number)
                {
                    throw new WorkflowException(WorkflowErrorCode.NotFound, $"Comment {parentId} is not on revision {number} of '{guidelineId}'.");
                }
                statementId ??= parent.StatementId;
            }
            EnsureStatementExists(revision, statementId);
            var now = Now();
            var comment = tx.Reviews.InsertComment(guidelineId, number, statementId, replyTo, actor, text, isChangeRequest: false, now);
            Audit(tx, actor, AuditActions.Commented, revision, Anchor(statementId) + text, now);
            return comment;
        });
    }

    /// <summary>Requests changes: the request blocks approval until it is resolved, and the revision goes to Changes requested.</summary>
    public ReviewComment RequestChanges(Actor actor, string guidelineId, int number, string text, string? statementId = null)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return _store.Write(tx =>
        {
            var revision = Load(tx, guidelineId, number);
            RevisionStateMachine.EnsureRole(RevisionAction.RequestChanges, actor);
            ReviewRules.EnsureIndependent(actor, revision, tx.Revisions.Editors(guidelineId, number), RevisionAction.RequestChanges);
            RevisionStateMachine.EnsureState(RevisionAction.RequestChanges, revision.State, guidelineId, number);
            RequireText(text, "A change request", WorkflowErrorCode.ReasonRequired);
            EnsureStatementExists(revision, statementId);
            var now = Now();
            var comment = tx.Reviews.InsertComment(guidelineId, number, statementId, null, actor, text, isChangeRequest: true, now);
            Transition(tx, actor, revision, RevisionState.ChangesRequested, AuditActions.ChangesRequested, Anchor(statementId) + text);
            return comment;
        });
    }

    /// <summary>
    /// Resolves a comment. A change request can be resolved only by whoever requested it (or an admin); when the last one
    /// is resolved the revision returns to review.
    /// </summary>
    public ReviewComment ResolveComment(Actor actor, long commentId)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return _store.Write(tx =>
        {
            var comment = tx.Reviews.FindComment(commentId)
                ?? throw new WorkflowException(WorkflowErrorCode.NotFound, $"Comment {commentId} does not exist.");
            var revision = Load(tx, comment.GuidelineId, comment.RevisionNumber);
            RevisionStateMachine.EnsureAllowed(RevisionAction.ResolveComment, actor, revision.State, revision.GuidelineId, revision.Number);
            var mayResolve = actor.Has(Role.Admin) || actor.Id == comment.AuthorId || (!comment.IsChangeRequest && actor.Id == revision.AuthorId);
            if (!mayResolve)
            {
                throw new WorkflowException(WorkflowErrorCode.RoleRequired, comment.IsChangeRequest
                    ? $"Only {comment.AuthorName}, who requested the changes, or an admin can resolve this change request."
                    : $"Only {comment.AuthorName}, the revision's author or an admin can resolve this comment.");
            }
            if (comment.IsResolved)
            {
                throw new WorkflowException(WorkflowErrorCode.InvalidState, $"Comment {commentId} was already resolved by {comment.ResolvedByName}.");
            }
            var now = Now();
            tx.Reviews.Resolve(commentId, actor, now);
            Audit(tx, actor, AuditActions.CommentResolved, revision, $"comment {commentId}", now);
            if (comment.IsChangeRequest && revision.State == RevisionState.ChangesRequested
                && tx.Reviews.OpenChangeRequests(revision.GuidelineId, revision.Number).Count == 0)
            {
                Transition(tx, actor, revision, RevisionState.UnderReview, AuditActions.ReviewStarted, "every change request resolved");
            }
            return tx.Reviews.FindComment(commentId)!;
        });
    }

    /// <summary>
    /// Signs "I approve this content for clinical use" on exactly <paramref name="approvedHash"/>, which must be the hash the
    /// revision was frozen with. The revision becomes Approved once the quorum of distinct independent approvers is reached.
    /// </summary>
    public Revision Approve(Actor actor, string guidelineId, int number, string approvedHash)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return _store.Write(tx =>
        {
            var revision = Load(tx, guidelineId, number);
            RevisionStateMachine.EnsureRole(RevisionAction.Approve, actor);
            var editors = tx.Revisions.Editors(guidelineId, number);
            ReviewRules.EnsureIndependent(actor, revision, editors, RevisionAction.Approve);
            ReviewRules.EnsureNoOpenChangeRequests(tx.Reviews.OpenChangeRequests(guidelineId, number), revision);
            RevisionStateMachine.EnsureState(RevisionAction.Approve, revision.State, guidelineId, number);
            var stored = GuidelineJson.ComputeHash(tx.Revisions.ReadStoredContent(guidelineId, number));
            if (approvedHash != revision.SubmittedHash || stored != revision.SubmittedHash)
            {
                throw new WorkflowException(WorkflowErrorCode.HashMismatch,
                    $"You are approving content {Short(approvedHash)}, but revision {number} was submitted as {Short(revision.SubmittedHash)}" +
                    (stored != revision.SubmittedHash ? $" and its stored content now hashes to {Short(stored)}" : "") +
                    ". Reload the revision and review what is there now.");
            }
            var approvals = tx.Reviews.ListApprovals(guidelineId, number);
            if (approvals.Any(a => a.ApproverId == actor.Id))
            {
                throw new WorkflowException(WorkflowErrorCode.AlreadyApproved, $"{actor.Name} has already approved revision {number}.");
            }
            var now = Now();
            tx.Reviews.InsertApproval(guidelineId, number, new RevisionApproval(actor.Id, actor.Name, now, WorkflowOptions.SignatureMeaning, approvedHash));
            Audit(tx, actor, AuditActions.Approved, revision, WorkflowOptions.SignatureMeaning, now);
            var evidence = new ApprovalEvidence(revision, editors, tx.Reviews.ListApprovals(guidelineId, number));
            if (Quorum.IsMetBy(evidence))
            {
                var counting = ApprovalQuorum.Counting(evidence);
                return Transition(tx, actor, revision, RevisionState.Approved, AuditActions.QuorumReached,
                    $"{counting.Count} of {Quorum.Size} approvals: {string.Join(", ", counting.Select(a => a.ApproverName))}");
            }
            return Load(tx, guidelineId, number);
        });
    }

    /// <summary>Continues a revision whose changes were requested as a new draft; the old one is withdrawn, its review kept.</summary>
    public Revision Revise(Actor actor, string guidelineId, int number)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return _store.Write(tx =>
        {
            var revision = Load(tx, guidelineId, number);
            RevisionStateMachine.EnsureAllowed(RevisionAction.Revise, actor, revision.State, guidelineId, number);
            var now = Now();
            var next = tx.Revisions.NextNumber(guidelineId);
            Transition(tx, actor, revision, RevisionState.Withdrawn, AuditActions.Revised, $"changes requested; continued as revision {next}");
            var draft = tx.Revisions.Insert(guidelineId, next, RevisionState.Draft, revision.Content, number, actor, now);
            Audit(tx, actor, AuditActions.DraftStarted, draft, $"from revision {number} after changes were requested", now);
            return draft;
        });
    }

    /// <summary>Withdraws a revision that is not live (its author or an admin); it stays on record.</summary>
    public Revision Withdraw(Actor actor, string guidelineId, int number, string reason)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return _store.Write(tx =>
        {
            var revision = Load(tx, guidelineId, number);
            RevisionStateMachine.EnsureRole(RevisionAction.Withdraw, actor);
            if (!actor.Has(Role.Admin) && actor.Id != revision.AuthorId)
            {
                throw new WorkflowException(WorkflowErrorCode.RoleRequired,
                    $"Only {revision.AuthorName}, the revision's author, or an admin can withdraw revision {number}.");
            }
            RevisionStateMachine.EnsureState(RevisionAction.Withdraw, revision.State, guidelineId, number);
            RequireText(reason, "Withdrawing", WorkflowErrorCode.ReasonRequired);
            return Transition(tx, actor, revision, RevisionState.Withdrawn, AuditActions.Withdrawn, reason);
        });
    }

    // ---- releases

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

    // ---- diffs

    public RevisionDiff Diff(string guidelineId, int fromRevision, int toRevision) =>
        RevisionDiffer.Compare(GetRevision(guidelineId, fromRevision).Content, GetRevision(guidelineId, toRevision).Content);

    /// <summary>The revision compared with the guideline's live release.</summary>
    public RevisionDiff DiffAgainstLive(string guidelineId, int number) =>
        RevisionDiffer.Compare(LiveContent(guidelineId), GetRevision(guidelineId, number).Content);

    /// <summary>
    /// The behavioural diff: the scenarios and <see cref="ImpactPatients.Table"/> under the live release and under the revision,
    /// listing every patient whose cards or missing facts change.
    /// </summary>
    public ImpactReport PreviewImpact(string guidelineId, int number)
    {
        var candidate = GetRevision(guidelineId, number).Content;
        var problems = GuidelineValidator.Validate(candidate);
        if (problems.Count > 0)
        {
            throw new GateFailedException(WorkflowErrorCode.ValidationFailed, "Impact preview", problems);
        }
        return ImpactPreview.Compare(LiveContent(guidelineId), candidate);
    }

    // ---- internals

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

    private static ApprovalEvidence Evidence(ContentTransaction tx, Revision revision) => new(
        revision, tx.Revisions.Editors(revision.GuidelineId, revision.Number), tx.Reviews.ListApprovals(revision.GuidelineId, revision.Number));

    private GuidelineContent LiveContent(string guidelineId) =>
        (GetLiveRelease(guidelineId) ?? throw new WorkflowException(WorkflowErrorCode.NotFound, $"Guideline '{guidelineId}' has no live release."))
        .Verify();

    private Revision Transition(ContentTransaction tx, Actor actor, Revision revision, RevisionState to, string action, string? reason)
    {
        var now = Now();
        tx.Revisions.SetState(revision.GuidelineId, revision.Number, to, now);
        var updated = Load(tx, revision.GuidelineId, revision.Number);
        Audit(tx, actor, action, updated, $"{revision.State} → {to}" + (reason is null ? "" : $": {reason}"), now);
        return updated;
    }

    private static void EnsureCurrent(ContentTransaction tx, Revision current, long expectedRowVersion)
    {
        if (current.RowVersion == expectedRowVersion)
        {
            return;
        }
        var baseline = tx.Revisions.FindSave(current.GuidelineId, current.Number, expectedRowVersion);
        var changes = baseline is null
            ? [$"your version {expectedRowVersion} is not a version of this revision"]
            : RevisionDiffer.Compare(baseline.Content, current.Content).Describe();
        throw new EditConflictException(current.GuidelineId, current.Number, expectedRowVersion, current.RowVersion,
            current.LastSavedById, current.LastSavedByName, current.LastSavedAt, changes);
    }

    private static Revision Load(ContentTransaction tx, string guidelineId, int number) =>
        tx.Revisions.Find(guidelineId, number) ?? throw RevisionNotFound(guidelineId, number);

    private static AuditEntry Audit(ContentTransaction tx, Actor actor, string action, Revision revision, string? reason, DateTimeOffset at) =>
        tx.Audit.Append(new AuditRecord(actor, action, revision.GuidelineId, revision.Number, revision.SubmittedHash ?? revision.ContentHash, reason), at);

    private static void EnsureStatementExists(Revision revision, string? statementId)
    {
        if (statementId is not null && !revision.Content.AllStatements().Any(s => s.Id == statementId))
        {
            throw new WorkflowException(WorkflowErrorCode.NotFound,
                $"Statement '{statementId}' is not in revision {revision.Number} of '{revision.GuidelineId}'.");
        }
    }

    private static void RequireText(string? text, string what, WorkflowErrorCode code = WorkflowErrorCode.ValidationFailed)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new WorkflowException(code, $"{what} needs a reason or text.");
        }
    }

    private static string Anchor(string? statementId) => statementId is null ? "" : $"[{statementId}] ";

    private static string Short(string? hash) => hash is null ? "(none)" : hash.Length > 12 ? hash[..12] : hash;

    private static WorkflowException RevisionNotFound(string guidelineId, int number) =>
        new(WorkflowErrorCode.NotFound, $"Revision {number} of guideline '{guidelineId}' does not exist.");

    private DateTimeOffset Now() => _time.GetUtcNow();

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex GuidelineIdPattern();
}
