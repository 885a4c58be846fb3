using AlkPlatform.Guidelines.Content;
using AlkPlatform.Guidelines.Diffs;
using AlkPlatform.Guidelines.Storage;

namespace AlkPlatform.Guidelines.Workflow;

public sealed partial class GuidelineWorkflow
{
    /// <summary>Creates a guideline with an empty revision 1 as a draft.</summary>
    public Revision CreateGuideline(Actor actor, string guidelineId, string title)
    {
        ArgumentNullException.ThrowIfNull(actor);
        RevisionStateMachine.EnsureRole(RevisionAction.StartDraft, actor);
        if (!GuidelineIds.IsValid(guidelineId))
        {
            // The id is not echoed: it may be any length.
            throw new WorkflowException(WorkflowErrorCode.ValidationFailed, $"A guideline id {GuidelineIds.Rule}.");
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
    /// Saves a draft's content. <paramref name="expectedSaveNumber"/> is the save the editor started from; if anyone saved
    /// since, nothing is written and <see cref="EditConflictException"/> says who and what changed.
    /// </summary>
    public Revision SaveDraft(Actor actor, string guidelineId, int number, GuidelineContent content, long expectedSaveNumber)
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
            EnsureCurrent(tx, revision, expectedSaveNumber);
            var now = Now();
            if (!tx.Revisions.UpdateDraftContent(guidelineId, number, expectedSaveNumber, content, actor, now))
            {
                // Unreachable while the write transaction holds the lock; refuse rather than audit a save that did not happen.
                throw new InvalidOperationException($"Revision {number} of '{guidelineId}' changed inside a write transaction.");
            }
            var saved = Load(tx, guidelineId, number);
            Audit(tx, actor, AuditActions.DraftSaved, saved, SavedChanges(revision.Content, content), now);
            return saved;
        });
    }

    /// <summary>Runs the submit gate and freezes the revision: its hash is now what reviewers review and approvers sign.</summary>
    public Revision Submit(Actor actor, string guidelineId, int number, long expectedSaveNumber)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return _store.Write(tx =>
        {
            var revision = Load(tx, guidelineId, number);
            RevisionStateMachine.EnsureAllowed(RevisionAction.Submit, actor, revision.State, guidelineId, number);
            EnsureCurrent(tx, revision, expectedSaveNumber);
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

    /// <summary>
    /// Continues a revision whose changes were requested as a new draft; the old one is withdrawn, its review kept. Its open
    /// change requests stay on its record and block nothing more; the new draft starts with none, and its lineage keeps
    /// whoever wrote the old one from reviewing or approving it.
    /// </summary>
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

    private static void EnsureCurrent(ContentTransaction tx, Revision current, long expectedSaveNumber)
    {
        if (current.SaveNumber == expectedSaveNumber)
        {
            return;
        }
        var baseline = tx.Revisions.FindSave(current.GuidelineId, current.Number, expectedSaveNumber);
        var changes = baseline is null
            ? [$"save {expectedSaveNumber} is not a save of this revision"]
            : RevisionDiffer.Compare(baseline.Content, current.Content).Describe();
        throw new EditConflictException(current.GuidelineId, current.Number, expectedSaveNumber, current.SaveNumber,
            current.LastSavedById, current.LastSavedByName, current.LastSavedAt, changes);
    }

    /// <summary>What a save changed, for its audit entry ("lexicon concept 'cns' modified; statement 'x' modified"); null for none.</summary>
    private static string? SavedChanges(GuidelineContent before, GuidelineContent after)
    {
        const int MaxListed = 12;
        var changes = RevisionDiffer.Compare(before, after).Describe();
        return changes.Count == 0 ? null
            : string.Join("; ", changes.Take(MaxListed)) + (changes.Count > MaxListed ? $"; and {changes.Count - MaxListed} more" : "");
    }
}
