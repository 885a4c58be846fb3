using System.Security.Cryptography;

namespace AlkPlatform.Guidelines.Releases.Signing;

/// <summary>The portal's private ECDSA P-256 key that signs every feed event; its id is derived from its public half.</summary>
public sealed class ReleaseSigningKey : IReleaseEventSigner, IDisposable
{
    private readonly ECDsa _key;

    public string KeyId { get; }

    private ReleaseSigningKey(ECDsa key)
    {
        if (key.KeySize != 256 || key.ExportParameters(false).Curve.Oid.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
        {
            key.Dispose();
            throw new CryptographicException("A release-signing key must be an ECDSA P-256 key.");
        }
        _key = key;
        KeyId = ReleaseKeyId.Of(key);
    }

    public static ReleaseSigningKey Generate() => new(ECDsa.Create(ECCurve.NamedCurves.nistP256));

    /// <summary>Reads a PKCS#8 or SEC1 private key PEM ("BEGIN PRIVATE KEY" / "BEGIN EC PRIVATE KEY").</summary>
    public static ReleaseSigningKey FromPem(string pem)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pem);
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
            if (key.ExportParameters(false).Curve.Oid.Value is null)
            {
                throw new CryptographicException("The PEM holds no named-curve key.");
            }
            _ = key.ExportParameters(true).D ?? throw new CryptographicException("The PEM holds a public key; signing needs the private key.");
        }
        catch
        {
            key.Dispose();
            throw;
        }
        return new ReleaseSigningKey(key);
    }

    public string ExportPrivateKeyPem() => _key.ExportPkcs8PrivateKeyPem();

    public string ExportPublicKeyPem() => _key.ExportSubjectPublicKeyInfoPem();

    /// <summary>Stamps the envelope with this key's id, encodes it canonically and signs those bytes.</summary>
    public SignedReleaseEvent Sign(ReleaseEventEnvelope envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        var bytes = (envelope with { KeyId = KeyId }).ToCanonicalUtf8();
        var signature = _key.SignData(bytes, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return new SignedReleaseEvent(bytes, KeyId, signature);
    }

    public void Dispose() => _key.Dispose();
}
