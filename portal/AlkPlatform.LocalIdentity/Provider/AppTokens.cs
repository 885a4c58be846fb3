using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace AlkPlatform.LocalIdentity.Provider;

/// <summary>
/// App tokens as Entra v2 issues them for the client-credentials flow: <c>aud</c> = the API's client id, <c>azp</c> (and
/// the v1 <c>appid</c>) = the calling app, <c>oid</c>/<c>sub</c> = its service principal, <c>roles</c> = the app roles
/// assigned to it on that API (none: no <c>roles</c> claim, as Entra does), <c>idtyp</c> = app, <c>ver</c> = 2.0.
/// </summary>
public static class AppTokens
{
    /// <summary>The principal for an app token, or null when the scopes name no known API.</summary>
    public static ClaimsPrincipal? Issue(LocalIdentityOptions settings, LocalClient client, IEnumerable<string> scopes)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(client);
        var requested = scopes.ToList();
        // Entra takes exactly one resource per request: the one whose ".default" scope was asked for.
        var apis = settings.Apis.Where(api => api.Value.DefaultScopes.Any(requested.Contains)).ToList();
        if (apis.Count != 1)
        {
            return null;
        }
        var (apiName, api) = (apis[0].Key, apis[0].Value);
        var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, "roles");
        identity.SetClaim(Claims.Subject, client.ObjectId)
            .SetClaim("oid", client.ObjectId)
            .SetClaim("tid", settings.TenantId)
            .SetClaim("azp", client.ClientId)
            .SetClaim("appid", client.ClientId)
            .SetClaim("azpacr", "1")
            .SetClaim("idtyp", "app")
            .SetClaim("ver", "2.0")
            .SetClaims("roles", [.. client.AppRoles.GetValueOrDefault(apiName) ?? []]);
        identity.SetAudiences(api.ClientId);
        identity.SetDestinations(static _ => [Destinations.AccessToken]);
        return new ClaimsPrincipal(identity);
    }

    /// <summary>An RSA private key from a PEM file; its key id is derived from the public key, so it is stable across restarts.</summary>
    public static RsaSecurityKey LoadSigningKey(string pemFile)
    {
        var rsa = RSA.Create();
        rsa.ImportFromPem(File.ReadAllText(pemFile));
        return new RsaSecurityKey(rsa) { KeyId = KeyIdOf(rsa) };
    }

    public static string KeyIdOf(RSA rsa)
    {
        ArgumentNullException.ThrowIfNull(rsa);
        return Base64UrlEncoder.Encode(SHA256.HashData(rsa.ExportSubjectPublicKeyInfo()))[..22];
    }
}
