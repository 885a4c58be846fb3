namespace AlkPlatform.Guidelines.Workflow;

/// <summary>
/// Whether the audit chain is anchored: every stored signed event's audit head is the chain's entry at that sequence, every
/// approval has its "approved" entry (and every such entry its approval), and each live pointer is the one the guideline's
/// latest signed event put live. Empty <see cref="Problems"/> means anchored.
/// </summary>
public sealed record AuditAnchoring(int SignedEventsChecked, int ApprovalsChecked, int GuidelinesChecked, IReadOnlyList<string> Problems)
{
    public bool IsAnchored => Problems.Count == 0;
}
