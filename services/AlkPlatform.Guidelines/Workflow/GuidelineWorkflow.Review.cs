namespace AlkPlatform.Guidelines.Workflow;

public sealed partial class GuidelineWorkflow
{
    public Revision StartReview(Actor actor, string guidelineId, int number)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return _store.Write(tx =>
        {
            var revision = Load(tx, guidelineId, number);
            RevisionStateMachine.EnsureRole(RevisionAction.StartReview, actor);
            ReviewRules.EnsureIndependent(actor, revision, tx.Revisions.Lineage(guidelineId, number), RevisionAction.StartReview);
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
            ReviewRules.EnsureIndependent(actor, revision, tx.Revisions.Lineage(guidelineId, number), RevisionAction.RequestChanges);
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
    /// Resolves a comment. A change request can be resolved only by whoever requested it (not an admin, not the author:
    /// their way on is a new revision, <see cref="Revise"/>); when the last one is resolved the revision returns to review.
    /// An ordinary comment may also be resolved by the revision's author or an admin.
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
            var mayResolve = actor.Id == comment.AuthorId || (!comment.IsChangeRequest && (actor.Has(Role.Admin) || actor.Id == revision.AuthorId));
            if (!mayResolve)
            {
                throw new WorkflowException(WorkflowErrorCode.RoleRequired, comment.IsChangeRequest
                    ? $"Only {comment.AuthorName}, who requested these changes, can resolve this change request; " +
                      $"otherwise continue revision {revision.Number} as a new draft (Revise)."
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

    private static void EnsureStatementExists(Revision revision, string? statementId)
    {
        if (statementId is not null && !revision.Content.AllStatements().Any(s => s.Id == statementId))
        {
            throw new WorkflowException(WorkflowErrorCode.NotFound,
                $"Statement '{statementId}' is not in revision {revision.Number} of '{revision.GuidelineId}'.");
        }
    }

    private static string Anchor(string? statementId) => statementId is null ? "" : $"[{statementId}] ";
}
