using AlkPlatform.Guidelines.Releases.Signing;

namespace AlkPlatform.Testing;

/// <summary>
/// A fresh release-signing key written as an operator would mount it: the private PEM (owner-only) for the portal's
/// <c>ReleaseSigning:KeyFile</c>, and its public PEM in a folder of its own, for a service's trust and a test's verifier.
/// </summary>
public sealed class ReleaseSigningKeyFiles
{
    private ReleaseSigningKeyFiles(string keyFile, string publicKeyFile, string keyId, string publicKeyPem)
    {
        KeyFile = keyFile;
        PublicKeyFile = publicKeyFile;
        KeyId = keyId;
        PublicKeyPem = publicKeyPem;
    }

    public string KeyFile { get; }
    public string PublicKeyFile { get; }
    public string PublicKeyDirectory => Path.GetDirectoryName(PublicKeyFile)!;
    public string KeyId { get; }
    public string PublicKeyPem { get; }

    /// <summary>Writes a new key under <paramref name="directory"/>/release-signing.</summary>
    public static ReleaseSigningKeyFiles Create(string directory)
    {
        using var key = ReleaseSigningKey.Generate();
        var keyDirectory = Path.Combine(directory, "release-signing");
        var publicDirectory = Path.Combine(keyDirectory, "public");
        Directory.CreateDirectory(publicDirectory);
        var keyFile = Path.Combine(keyDirectory, "signing-key.pem");
        File.WriteAllText(keyFile, key.ExportPrivateKeyPem());
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(keyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        var publicKeyFile = Path.Combine(publicDirectory, key.KeyId + ".pem");
        File.WriteAllText(publicKeyFile, key.ExportPublicKeyPem());
        return new ReleaseSigningKeyFiles(keyFile, publicKeyFile, key.KeyId, key.ExportPublicKeyPem());
    }

    /// <summary>The private key itself, for arranging a content database with the domain library before the portal opens it.</summary>
    public ReleaseSigningKey LoadKey() => ReleaseSigningKey.FromPem(File.ReadAllText(KeyFile));

    /// <summary>A verifier trusting only this key, as a service configured with it would be.</summary>
    public TrustedReleaseKeys Trusted() => TrustedReleaseKeys.FromPems([PublicKeyPem]);

    /// <summary>The portal setting that makes it sign with this key.</summary>
    public IReadOnlyDictionary<string, string> PortalSettings() =>
        new Dictionary<string, string>(StringComparer.Ordinal) { ["ReleaseSigning:KeyFile"] = KeyFile };

    /// <summary>The service setting that makes it trust this key.</summary>
    public IReadOnlyDictionary<string, string> ServiceTrustSettings() =>
        new Dictionary<string, string>(StringComparer.Ordinal) { ["ReleaseTrust:TrustedKeyFiles:0"] = PublicKeyFile };
}
