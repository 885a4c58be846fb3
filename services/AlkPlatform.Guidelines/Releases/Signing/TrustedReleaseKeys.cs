using System.Security.Cryptography;

namespace AlkPlatform.Guidelines.Releases.Signing;

/// <summary>
/// The public keys whose signatures a service accepts. Several may be trusted at once, so a new key can be rolled out
/// before the old one is removed (rotation); removing a key revokes every event it signed, including persisted ones.
/// </summary>
public sealed class TrustedReleaseKeys : IDisposable
{
    private readonly Dictionary<string, ECDsa> _keys = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> KeyIds => _keys.Keys;

    public bool IsEmpty => _keys.Count == 0;

    /// <summary>Reads SubjectPublicKeyInfo PEMs ("BEGIN PUBLIC KEY"); a P-256 key only.</summary>
    public static TrustedReleaseKeys FromPems(IEnumerable<string> pems)
    {
        ArgumentNullException.ThrowIfNull(pems);
        var trusted = new TrustedReleaseKeys();
        try
        {
            foreach (var pem in pems)
            {
                var key = ECDsa.Create();
                try
                {
                    key.ImportFromPem(pem);
                    if (key.KeySize != 256 || key.ExportParameters(false).Curve.Oid.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
                    {
                        throw new CryptographicException("A trusted release key must be an ECDSA P-256 public key.");
                    }
                    var id = ReleaseKeyId.Of(key);
                    if (!trusted._keys.TryAdd(id, key))
                    {
                        key.Dispose();
                    }
                }
                catch
                {
                    key.Dispose();
                    throw;
                }
            }
        }
        catch
        {
            trusted.Dispose();
            throw;
        }
        return trusted;
    }

    /// <summary>Null when the signature is valid under a trusted key; otherwise why not, in words an operator can act on.</summary>
    public string? Check(SignedReleaseEvent signedEvent)
    {
        ArgumentNullException.ThrowIfNull(signedEvent);
        if (string.IsNullOrEmpty(signedEvent.KeyId))
        {
            return "it names no signing key";
        }
        if (!_keys.TryGetValue(signedEvent.KeyId, out var key))
        {
            return $"it is signed by key {Clip(signedEvent.KeyId)}, which this service does not trust (trusted: {(IsEmpty ? "none" : string.Join(", ", _keys.Keys))})";
        }
        if (signedEvent.Signature.Length != 64
            || !key.VerifyData(signedEvent.Envelope.Span, signedEvent.Signature.Span, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation))
        {
            return $"its signature does not verify under key {signedEvent.KeyId} (the envelope was altered or signed by another key)";
        }
        return null;
    }

    private static string Clip(string text) => text.Length <= 40 ? text : text[..40] + "…";

    public void Dispose()
    {
        foreach (var key in _keys.Values)
        {
            key.Dispose();
        }
        _keys.Clear();
    }
}
