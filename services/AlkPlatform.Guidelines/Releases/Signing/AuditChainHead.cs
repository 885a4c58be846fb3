namespace AlkPlatform.Guidelines.Releases.Signing;

/// <summary>The portal's audit-chain head when an event was signed; services keep it, anchoring the chain outside content.db.</summary>
public sealed record AuditChainHead(long Sequence, string EntryHash);
