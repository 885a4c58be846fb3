namespace AlkPlatform.LocalIdentity.Provider;

/// <summary>Configuration section <c>LocalIdentity</c>.</summary>
public sealed class LocalIdentityOptions
{
    public const string SectionName = "LocalIdentity";

    /// <summary>The tenant id in every URL and in the <c>tid</c> claim, like an Entra directory id.</summary>
    public string TenantId { get; set; } = "5f6c2a1e-8a4b-4f3e-9c7d-0a1b2c3d4e5f";

    /// <summary>Public origin (scheme://host:port) when it differs from the first address the server listens on.</summary>
    public Uri? PublicOrigin { get; set; }

    public List<LocalClient> Clients { get; } = [];
}

/// <summary>A confidential client (the portal). Redirects are accepted only to loopback hosts on the given paths.</summary>
public sealed class LocalClient
{
    public string ClientId { get; set; } = "";

    /// <summary>Supplied at run time (the dev script and the tests generate one); never stored in the repository.</summary>
    public string ClientSecret { get; set; } = "";

    public List<string> RedirectPaths { get; } = ["/signin-oidc"];

    public List<string> PostLogoutRedirectPaths { get; } = ["/signout-callback-oidc"];

    public bool AllowsRedirect(string? uri, IEnumerable<string> paths) =>
        Uri.TryCreate(uri, UriKind.Absolute, out var parsed)
        && parsed.IsLoopback
        && (parsed.Scheme == Uri.UriSchemeHttps || parsed.Scheme == Uri.UriSchemeHttp)
        && paths.Contains(parsed.AbsolutePath, StringComparer.Ordinal);
}
