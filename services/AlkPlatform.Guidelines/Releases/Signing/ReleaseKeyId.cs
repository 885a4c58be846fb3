using System.Security.Cryptography;

namespace AlkPlatform.Guidelines.Releases.Signing;

/// <summary>A key's id is derived from its public key, so a configured id can never name a different key.</summary>
public static class ReleaseKeyId
{
    public static string Of(ECDsa key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var hash = SHA256.HashData(key.ExportSubjectPublicKeyInfo());
        return "p256-" + Convert.ToHexStringLower(hash.AsSpan(0, 8));
    }
}
