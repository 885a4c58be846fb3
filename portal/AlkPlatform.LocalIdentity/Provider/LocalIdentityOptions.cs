namespace AlkPlatform.LocalIdentity.Provider;

/// <summary>Configuration section <c>LocalIdentity</c>.</summary>
public sealed class LocalIdentityOptions
{
    public const string SectionName = "LocalIdentity";

    /// <summary>The tenant id in every URL and in the <c>tid</c> claim, like an Entra directory id.</summary>
    public string TenantId { get; set; } = "5f6c2a1e-8a4b-4f3e-9c7d-0a1b2c3d4e5f";

    /// <summary>Public origin (scheme://host:port) when it differs from the first address the server listens on.</summary>
    public Uri? PublicOrigin { get; set; }

    /// <summary>
    /// A PEM file holding the RSA private key that signs every token; empty = a key made at start-up. Tests supply one
    /// they generated, so they can also sign tokens the provider would never issue (expired, for another tenant).
    /// </summary>
    public string SigningKeyFile { get; set; } = "";

    /// <summary>App registrations, by a short name: the portal (sign-in and client credentials) and the demo apps.</summary>
    public Dictionary<string, LocalClient> Clients { get; } = new(StringComparer.Ordinal);

    /// <summary>The web APIs tokens can be issued for (each an app registration exposing app roles), by a short name.</summary>
    public Dictionary<string, LocalApi> Apis { get; } = new(StringComparer.Ordinal);
}
