using AlkPlatform.Guidelines.Releases;

namespace AlkPlatform.Guidelines.Workflow;

/// <summary>
/// What the approval quorum is judged on: the revision, its lineage since the last release (everyone who wrote or edited
/// it or a revision it was copied from), and every approval it was given.
/// </summary>
public sealed record ApprovalEvidence(Revision Revision, RevisionLineage Lineage, IReadOnlyList<RevisionApproval> Approvals);
