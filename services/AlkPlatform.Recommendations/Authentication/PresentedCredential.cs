using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;

namespace AlkPlatform.Recommendations.Authentication;

/// <summary>
/// What a refused caller presented, masked for the log: the token's app, audience, issuer, tenant, validity and key id
/// (read without trusting them) and the first 12 hex digits of its SHA-256 — never the token, which could be replayed.
/// </summary>
public static class PresentedCredential
{
    private const int MaxValueLength = 100;

    public static string Describe(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var header = context.Request.Headers.Authorization.ToString();
        if (header.Length == 0)
        {
            return "none";
        }
        var space = header.IndexOf(' ', StringComparison.Ordinal);
        var scheme = space < 0 ? header : header[..space];
        var credential = space < 0 ? "" : header[(space + 1)..].Trim();
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(credential)))[..12];
        if (!scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
        {
            return $"{Bound(scheme)} credential, not a bearer token; sha256 {hash}";
        }
        JsonWebToken token;
        try
        {
            token = new JsonWebToken(credential);
        }
        catch (ArgumentException)
        {
            return $"bearer, not a JWT; sha256 {hash}";
        }
        var text = new StringBuilder("bearer");
        Append(text, "azp", Claim(token, "azp") ?? Claim(token, "appid"));
        Append(text, "aud", string.Join(' ', token.Audiences));
        Append(text, "iss", token.Issuer);
        Append(text, "tid", Claim(token, "tid"));
        Append(text, "nbf", Time(token.ValidFrom));
        Append(text, "exp", Time(token.ValidTo));
        Append(text, "kid", token.Kid);
        text.Append("; sha256 ").Append(hash);
        return text.ToString();
    }

    private static string? Claim(JsonWebToken token, string type) => token.TryGetClaim(type, out var claim) ? claim.Value : null;

    private static string? Time(DateTime value) =>
        value == DateTime.MinValue ? null : value.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private static void Append(StringBuilder text, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            text.Append(' ').Append(name).Append('=').Append(Bound(value));
        }
    }

    /// <summary>Claims are the caller's words until verified: printable ASCII only, and short.</summary>
    private static string Bound(string value)
    {
        var printable = new string([.. value.Where(c => c is >= ' ' and <= '~').Take(MaxValueLength)]);
        return value.Length > MaxValueLength ? printable + "…" : printable;
    }
}
