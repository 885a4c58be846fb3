using System.Security.Cryptography;
using AlkPlatform.Guidelines.Releases.Signing;

namespace AlkPlatform.Portal.ReleaseSigning;

/// <summary>
/// The key that signs every feed event. It comes from configuration: a mounted PEM file (a Kubernetes secret, or a Key Vault
/// secret mounted by the Secrets Store CSI driver) or the PEM text (a Key Vault reference). Only in Development, with
/// neither set, is one generated in the data directory; anywhere else the portal refuses to start without a key.
/// </summary>
public static class ReleaseSigningKeys
{
    public const string KeyFileSetting = "ReleaseSigning:KeyFile";
    public const string PrivateKeyPemSetting = "ReleaseSigning:PrivateKeyPem";
    public const string PreviousPublicKeysSetting = "ReleaseSigning:PreviousPublicKeys";
    public const string PreviousPublicKeyFilesSetting = "ReleaseSigning:PreviousPublicKeyFiles";

    public static WebApplicationBuilder AddReleaseSigning(this WebApplicationBuilder builder, string dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        // Loaded while building, so a missing or unreadable key stops the start rather than the first publish.
        var loaded = Load(builder.Configuration, builder.Environment, dataDirectory);
        builder.Services.AddSingleton(loaded);
        builder.Services.AddSingleton<IReleaseEventSigner>(_ => loaded.Key);
        builder.Services.AddSingleton(_ => loaded.PreviousKeys);
        builder.Services.AddHostedService<SigningKeyStartupLog>();
        return builder;
    }

    public static LoadedSigningKey Load(IConfiguration configuration, IHostEnvironment environment, string dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(environment);
        var (key, source, publicPath) = LoadKey(configuration, environment, dataDirectory);
        return new LoadedSigningKey(key, source, publicPath, PreviousKeys(configuration));
    }

    private static (ReleaseSigningKey Key, string Source, string? PublicPath) LoadKey(IConfiguration configuration, IHostEnvironment environment, string dataDirectory)
    {
        var keyFile = configuration[KeyFileSetting];
        var pem = configuration[PrivateKeyPemSetting];
        if (!string.IsNullOrWhiteSpace(keyFile) && !string.IsNullOrWhiteSpace(pem))
        {
            throw Refuse($"both {KeyFileSetting} and {PrivateKeyPemSetting} are set; set exactly one");
        }
        if (!string.IsNullOrWhiteSpace(keyFile))
        {
            string text;
            try
            {
                text = File.ReadAllText(keyFile);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw Refuse($"{KeyFileSetting} names {keyFile}, which cannot be read ({ex.Message})");
            }
            return (Parse(text, $"the file {KeyFileSetting} names"), $"{KeyFileSetting} {keyFile}", null);
        }
        if (!string.IsNullOrWhiteSpace(pem))
        {
            return (Parse(pem, PrivateKeyPemSetting), PrivateKeyPemSetting, null);
        }
        if (!environment.IsDevelopment())
        {
            throw Refuse($"no release-signing key is configured; set {KeyFileSetting} (the path of a PKCS#8 PEM file, e.g. a mounted " +
                $"Kubernetes or Key Vault secret) or {PrivateKeyPemSetting} (the PEM text, e.g. a Key Vault reference)");
        }
        return DevelopmentKey(dataDirectory);
    }

    /// <summary>Development only: the key kept in the data directory (made on first run, owner-only), its public half beside it.</summary>
    private static (ReleaseSigningKey Key, string Source, string? PublicPath) DevelopmentKey(string dataDirectory)
    {
        var directory = Path.Combine(dataDirectory, "release-signing");
        var keyPath = Path.Combine(directory, "signing-key.pem");
        ReleaseSigningKey key;
        string source;
        if (File.Exists(keyPath))
        {
            key = Parse(File.ReadAllText(keyPath), keyPath);
            source = $"development key {keyPath}";
        }
        else
        {
            key = ReleaseSigningKey.Generate();
            // The folder stays readable: its public/ subfolder is what a local service reads; the key file itself is owner-only.
            Directory.CreateDirectory(directory);
            WriteNew(keyPath, key.ExportPrivateKeyPem(), UnixFileMode.UserRead | UnixFileMode.UserWrite);
            source = $"development key generated at {keyPath}";
        }
        var publicDirectory = Path.Combine(directory, "public");
        Directory.CreateDirectory(publicDirectory);
        var publicPath = Path.Combine(publicDirectory, key.KeyId + ".pem");
        var publicPem = key.ExportPublicKeyPem();
        if (!File.Exists(publicPath) || File.ReadAllText(publicPath) != publicPem)
        {
            File.WriteAllText(publicPath, publicPem);
        }
        return (key, source, publicPath);
    }

    /// <summary>The public keys of earlier signing keys (PEM text or mounted files), so what they signed can be re-signed after a rotation.</summary>
    private static TrustedReleaseKeys PreviousKeys(IConfiguration configuration)
    {
        var pems = configuration.GetSection(PreviousPublicKeysSetting).GetChildren().Select(c => c.Value).OfType<string>().ToList();
        foreach (var file in configuration.GetSection(PreviousPublicKeyFilesSetting).GetChildren().Select(c => c.Value).OfType<string>())
        {
            try
            {
                pems.Add(File.ReadAllText(file));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw Refuse($"{PreviousPublicKeyFilesSetting} names {file}, which cannot be read ({ex.Message})");
            }
        }
        try
        {
            return TrustedReleaseKeys.FromPems(pems);
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            throw Refuse($"{PreviousPublicKeysSetting} / {PreviousPublicKeyFilesSetting} must be ECDSA P-256 public keys in PEM form ({ex.Message})");
        }
    }

    private static ReleaseSigningKey Parse(string pem, string where)
    {
        try
        {
            return ReleaseSigningKey.FromPem(pem);
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            throw Refuse($"{where} does not hold an ECDSA P-256 private key in PEM form ({ex.Message})");
        }
    }

    private static void WriteNew(string path, string text, UnixFileMode mode)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = mode;
        }
        using var writer = new StreamWriter(path, System.Text.Encoding.ASCII, options);
        writer.Write(text);
    }

    private static InvalidOperationException Refuse(string problem) =>
        new($"The portal refuses to start: {problem}. See deploy/release-signing.md.");
}
