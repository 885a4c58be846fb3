namespace AlkPlatform.Guidelines.Releases.Signing;

/// <summary>
/// The bytes of a canonical <see cref="ReleaseEventEnvelope"/> and an ECDSA P-256 / SHA-256 signature over exactly those bytes
/// (IEEE P1363, r‖s), by the key <see cref="KeyId"/>. Verifiers check the signature on the bytes they received, then parse.
/// </summary>
public sealed record SignedReleaseEvent(ReadOnlyMemory<byte> Envelope, string KeyId, ReadOnlyMemory<byte> Signature);
