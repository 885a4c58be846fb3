using System.Text.RegularExpressions;

namespace AlkPlatform.Telemetry;

/// <summary>
/// What must never leave a host in telemetry: credentials (a bearer token, a JWT anywhere in a string) and anything
/// a caller sent that could identify a patient (query strings, headers, status messages that quote the request).
/// </summary>
public static partial class SensitiveData
{
    public const string Redacted = "[redacted]";

    /// <summary>Tags dropped from every span: request data that instrumentations record on request, or may in a later version.</summary>
    public static bool IsDroppedTag(string key) =>
        key is "url.query" or "http.request.body" or "http.response.body"
        || key.StartsWith("http.request.header.", StringComparison.Ordinal)
        || key.StartsWith("http.response.header.", StringComparison.Ordinal)
        || key.StartsWith("rpc.request.metadata.", StringComparison.Ordinal)
        || key.StartsWith("rpc.response.metadata.", StringComparison.Ordinal)
        || key.StartsWith("enduser.", StringComparison.Ordinal)
        || key.StartsWith("user.", StringComparison.Ordinal);

    /// <summary>The text with every bearer credential and JWT-shaped token replaced; the same instance when there was none.</summary>
    public static string MaskCredentials(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Contains("Bearer", StringComparison.OrdinalIgnoreCase) || text.Contains("eyJ", StringComparison.Ordinal)
            ? Credential().Replace(text, Redacted)
            : text;
    }

    /// <summary>A URL without its query string and fragment, which can carry identifiers.</summary>
    public static string WithoutQuery(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var cut = url.IndexOfAny(['?', '#']);
        return cut < 0 ? url : url[..cut];
    }

    // "Bearer <token>" in any case (16+ characters, so a phrase like "JwtBearer handler" stays), or a bare JWT (three base64url parts, the header starting {" = eyJ).
    [GeneratedRegex(@"(?i:bearer)\s+[A-Za-z0-9\-._~+/]{16,}=*|eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*")]
    private static partial Regex Credential();
}
