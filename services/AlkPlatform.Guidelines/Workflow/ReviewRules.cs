namespace AlkPlatform.Guidelines.Workflow;

/// <summary>
/// The board's review rules beyond roles and states: independence of reviewers and approvers, and blocking change
/// requests. How many approvals are enough is <see cref="ApprovalQuorum"/>.
/// </summary>
public static class ReviewRules
{
    /// <summary>
    /// Refuses review actions by anyone who wrote or edited the revision, or any revision of its lineage since the last
    /// release: copying another person's unpublished wording into a new draft does not make the copier its only author.
    /// </summary>
    public static void EnsureIndependent(Actor actor, Revision revision, RevisionLineage lineage, RevisionAction action)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(revision);
        ArgumentNullException.ThrowIfNull(lineage);
        var involved = lineage.NearestInvolving(actor.Id);
        if (actor.Id == revision.AuthorId || involved?.Number == revision.Number)
        {
            throw new WorkflowException(WorkflowErrorCode.SelfReview,
                $"{actor.Name} {(actor.Id == revision.AuthorId ? "wrote" : "edited")} revision {revision.Number} of '{revision.GuidelineId}' and so cannot " +
                $"{RevisionStateMachine.Describe(action).ToLowerInvariant()} it; another board member must.");
        }
        if (involved is null)
        {
            return;
        }
        var through = lineage.Between(involved) switch
        {
            [] => "",
            [var one] => $" by way of revision {one}",
            var several => $" by way of revisions {string.Join(", ", several)}",
        };
        var since = lineage.LastRelease is { } released
            ? $" since the last live release (revision {released})"
            : " (none of its revisions was ever released)";
        throw new WorkflowException(WorkflowErrorCode.SelfReview,
            $"{actor.Name} {(actor.Id == involved.AuthorId ? "wrote" : "edited")} revision {involved.Number}, from which revision {revision.Number} was copied{through}; " +
            $"{Who(action)} must not have written or edited any revision in its lineage{since}.");
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

    private static string Who(RevisionAction action) => action switch
    {
        RevisionAction.Approve => "an approver",
        RevisionAction.StartReview => "whoever starts the review",
        RevisionAction.RequestChanges => "whoever requests changes",
        _ => "a reviewer",
    };
}
