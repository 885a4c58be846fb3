namespace AlkPlatform.Guidelines.Releases.Signing;

/// <summary>
/// What the workflow needs to sign feed events: a key id and a signature over the canonical envelope. The portal passes in
/// a <see cref="ReleaseSigningKey"/>; where it came from (a mounted file, Key Vault, a development key) is the portal's business.
/// </summary>
public interface IReleaseEventSigner
{
    string KeyId { get; }

    /// <summary>The public half (SubjectPublicKeyInfo PEM), which services trust and the audit verifier checks stored events with.</summary>
    string ExportPublicKeyPem();

    /// <summary>Stamps the envelope with <see cref="KeyId"/>, encodes it canonically and signs those bytes.</summary>
    SignedReleaseEvent Sign(ReleaseEventEnvelope envelope);
}
