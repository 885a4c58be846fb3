using AlkPlatform.Guidelines.Workflow;

namespace AlkPlatform.Guidelines.Storage;

/// <summary>What to record for one action; the trail adds sequence, time and the chain hashes.</summary>
public sealed record AuditRecord(Actor Actor, string Action, string GuidelineId, int? RevisionNumber, string? ContentHash, string? Reason);
