using AlkPlatform.Guidelines.Releases;

namespace AlkPlatform.Guidelines.Workflow;

/// <summary>The board's rules beyond roles and states: independence of reviewers, quorum, and blocking change requests.</summary>
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

    /// <summary>Distinct approvers who signed exactly <paramref name="hash"/> and did not write or edit the revision.</summary>
    public static IReadOnlyList<RevisionApproval> ValidApprovals(
        IEnumerable<RevisionApproval> approvals, string hash, string authorId, IReadOnlySet<string> editors) =>
        [.. approvals
            .Where(a => a.ContentHash == hash && a.ApproverId != authorId && !editors.Contains(a.ApproverId))
            .DistinctBy(a => a.ApproverId)];
}
