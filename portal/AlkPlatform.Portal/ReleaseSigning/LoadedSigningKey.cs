using AlkPlatform.Guidelines.Releases.Signing;

namespace AlkPlatform.Portal.ReleaseSigning;

/// <summary>
/// The portal's release-signing key and where it came from, in words for the start-up log (never the key itself), and
/// the public keys it signed with before a rotation (what it re-signs at start).
/// </summary>
public sealed record LoadedSigningKey(ReleaseSigningKey Key, string Source, string? PublishedPublicKeyPath, TrustedReleaseKeys PreviousKeys);
