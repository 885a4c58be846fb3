using AlkPlatform.Guidelines.Releases;

namespace AlkPlatform.Guidelines.Workflow;

/// <summary>
/// The board's approval quorum: a revision is approved once <see cref="Size"/> distinct approvers, none of whom wrote or
/// edited it or any revision of its lineage, have signed exactly the hash it was frozen with. Approval and publish both
/// ask this one rule.
/// </summary>
public sealed class ApprovalQuorum
{
    public ApprovalQuorum(int size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        Size = size;
    }

    /// <summary>How many counting approvals a revision needs (<see cref="WorkflowOptions.ApprovalQuorum"/>).</summary>
    public int Size { get; }

    /// <summary>
    /// The approvals that count, in the order given: each signed the revision's frozen hash, by someone who neither wrote
    /// nor edited it nor any revision it was copied from since the last release, one per approver. Nothing counts for a
    /// revision that was never frozen.
    /// </summary>
    public static IReadOnlyList<RevisionApproval> Counting(ApprovalEvidence evidence)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        var revision = evidence.Revision;
        if (revision.SubmittedHash is not { } hash)
        {
            return [];
        }
        return [.. evidence.Approvals
            .Where(a => a.ContentHash == hash && a.ApproverId != revision.AuthorId && !evidence.Lineage.Involves(a.ApproverId))
            .DistinctBy(a => a.ApproverId)];
    }

    public bool IsMetBy(ApprovalEvidence evidence) => Counting(evidence).Count >= Size;

    /// <summary>Why the approvals do not reach the quorum, in words for the board; null when they do.</summary>
    public string? WhyNotMet(ApprovalEvidence evidence)
    {
        var counting = Counting(evidence);
        if (counting.Count >= Size)
        {
            return null;
        }
        var ignored = evidence.Approvals.Count - counting.Count;
        return $"Revision {evidence.Revision.Number} of '{evidence.Revision.GuidelineId}' has {counting.Count} valid approval(s) of the {Size} required" +
            (ignored > 0 ? $" ({ignored} signed other content, repeated an approver, or came from someone who wrote or edited it or a revision it was copied from)" : "") + ".";
    }

    /// <summary>The counting approvals, or a <see cref="WorkflowErrorCode.QuorumNotReached"/> refusal that says why they are too few.</summary>
    public IReadOnlyList<RevisionApproval> EnsureMetBy(ApprovalEvidence evidence) =>
        WhyNotMet(evidence) is { } problem
            ? throw new WorkflowException(WorkflowErrorCode.QuorumNotReached, problem)
            : Counting(evidence);
}
