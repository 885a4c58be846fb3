using AlkPlatform.Guidelines.Content;
using AlkPlatform.Guidelines.Releases;
using AlkPlatform.Guidelines.Storage;

namespace AlkPlatform.Guidelines.Workflow;

public sealed partial class GuidelineWorkflow
{
    /// <summary>
    /// Signs "I approve this content for clinical use" on exactly <paramref name="approvedHash"/>, which must be the hash the
    /// revision was frozen with. The revision becomes Approved once the quorum of distinct independent approvers is reached.
    /// Nobody who wrote or edited the revision, or a revision it was copied from since the last release, may approve it.
    /// </summary>
    public Revision Approve(Actor actor, string guidelineId, int number, string approvedHash)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return _store.Write(tx =>
        {
            var revision = Load(tx, guidelineId, number);
            RevisionStateMachine.EnsureRole(RevisionAction.Approve, actor);
            var lineage = tx.Revisions.Lineage(guidelineId, number);
            ReviewRules.EnsureIndependent(actor, revision, lineage, RevisionAction.Approve);
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
            var evidence = new ApprovalEvidence(revision, lineage, tx.Reviews.ListApprovals(guidelineId, number));
            if (Quorum.IsMetBy(evidence))
            {
                var counting = ApprovalQuorum.Counting(evidence);
                return Transition(tx, actor, revision, RevisionState.Approved, AuditActions.QuorumReached,
                    $"{counting.Count} of {Quorum.Size} approvals: {string.Join(", ", counting.Select(a => a.ApproverName))}");
            }
            return Load(tx, guidelineId, number);
        });
    }

    private static ApprovalEvidence Evidence(ContentTransaction tx, Revision revision) => new(
        revision, tx.Revisions.Lineage(revision.GuidelineId, revision.Number), tx.Reviews.ListApprovals(revision.GuidelineId, revision.Number));
}
