namespace AlkPlatform.Guidelines.Workflow;

/// <summary>The result of walking the audit chain: intact, or the first entry where it breaks and why.</summary>
public sealed record AuditVerification(bool IsIntact, int EntriesChecked, long? FirstBrokenSequence, string? Problem);
