namespace AlkPlatform.Guidelines.Workflow;

/// <summary>
/// The board's review rules beyond roles and states: independence of reviewers and blocking change requests. How many
/// approvals are enough is <see cref="ApprovalQuorum"/>.
/// </summary>
public static class ReviewRules
{
    /// <summary>Refuses review actions by the revision's author or anyone who saved its content.</summary>
    public static void EnsureIndependent(Actor actor, Revision revision, IReadOnlySet<string> editors, RevisionAction action)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(revision);
        ArgumentNullException.ThrowIfNull(editors);
        if (actor.Id == revision.AuthorId || editors.Contains(actor.Id))
        {
            throw new WorkflowException(WorkflowErrorCode.SelfReview,
                $"{actor.Name} wrote or edited revision {revision.Number} of '{revision.GuidelineId}' and so cannot " +
                $"{RevisionStateMachine.Describe(action).ToLowerInvariant()} it; another board member must.");
        }
    }

    /// <summary>Refuses approval while any "request changes" on the revision is unresolved.</summary>
    public static void EnsureNoOpenChangeRequests(IReadOnlyList<ReviewComment> openChangeRequests, Revision revision)
    {
        ArgumentNullException.ThrowIfNull(openChangeRequests);
        ArgumentNullException.ThrowIfNull(revision);
        if (openChangeRequests.Count > 0)
        {
            throw new WorkflowException(WorkflowErrorCode.OpenChangeRequests,
                $"Revision {revision.Number} of '{revision.GuidelineId}' cannot be approved while changes are requested: " +
                string.Join("; ", openChangeRequests.Select(c => $"{c.AuthorName}: \"{c.Text}\"")) + ". Resolve them first.");
        }
    }
}
