namespace AlkPlatform.LocalIdentity.Provider;

/// <summary>
/// A confidential client, like an Entra app registration with a secret: it may sign users in (redirects are accepted only
/// to loopback hosts on the given paths) and get app tokens with the client-credentials flow, carrying the app roles
/// assigned to it on each API.
/// </summary>
public sealed class LocalClient
{
    public string ClientId { get; set; } = "";

    /// <summary>Supplied at run time (the dev script and the tests generate one); never stored in the repository.</summary>
    public string ClientSecret { get; set; } = "";

    public string DisplayName { get; set; } = "";

    /// <summary>The object id of the app's service principal: <c>oid</c> and <c>sub</c> of its app tokens.</summary>
    public string ObjectId { get; set; } = "";

    /// <summary>App roles assigned to this app, per API short name (a key of <see cref="LocalIdentityOptions.Apis"/>).</summary>
    public Dictionary<string, List<string>> AppRoles { get; } = new(StringComparer.Ordinal);

    public List<string> RedirectPaths { get; } = ["/signin-oidc"];

    public List<string> PostLogoutRedirectPaths { get; } = ["/signout-callback-oidc"];

    public bool AllowsRedirect(string? uri, IEnumerable<string> paths) =>
        Uri.TryCreate(uri, UriKind.Absolute, out var parsed)
        && parsed.IsLoopback
        && (parsed.Scheme == Uri.UriSchemeHttps || parsed.Scheme == Uri.UriSchemeHttp)
        && paths.Contains(parsed.AbsolutePath, StringComparer.Ordinal);
}
