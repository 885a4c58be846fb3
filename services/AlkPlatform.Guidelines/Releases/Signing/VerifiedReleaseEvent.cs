namespace AlkPlatform.Guidelines.Releases.Signing;

/// <summary>
/// A feed event that passed every check. <see cref="Release"/> is built from the signed envelope and the content alone
/// (never from unsigned message fields); it is null for a retirement. <see cref="AlreadyActive"/>: the same event again.
/// </summary>
public sealed record VerifiedReleaseEvent(SignedReleaseEvent Event, ReleaseEventEnvelope Envelope, Release? Release, bool AlreadyActive);
