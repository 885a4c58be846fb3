using AlkPlatform.Guidelines.Releases.Signing;

namespace AlkPlatform.Guidelines.Storage;

/// <summary>A signed feed event as the content store keeps it: the signed bytes, and the envelope they parse to.</summary>
public sealed record StoredReleaseEvent(SignedReleaseEvent Event, ReleaseEventEnvelope Envelope, DateTimeOffset SignedAt);
