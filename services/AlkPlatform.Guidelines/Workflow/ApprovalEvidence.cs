using AlkPlatform.Guidelines.Releases;

namespace AlkPlatform.Guidelines.Workflow;

/// <summary>What the approval quorum is judged on: the revision, everyone who saved its content, and every approval it was given.</summary>
public sealed record ApprovalEvidence(Revision Revision, IReadOnlySet<string> Editors, IReadOnlyList<RevisionApproval> Approvals);
