using System.Security.Claims;

namespace AlkPlatform.Recommendations.Authentication;

/// <summary>The calling app as its token proved it: the token's <c>azp</c> (else the v1 <c>appid</c>) and its display name.</summary>
public sealed record VerifiedCaller(string AppId, string Name)
{
    public const string AnonymousDevelopmentId = "anonymous-development";

    /// <summary>Every caller while the service runs in Development with authentication off.</summary>
    public static VerifiedCaller AnonymousDevelopment { get; } =
        new(AnonymousDevelopmentId, "Anonymous caller (Development, authentication off)");

    /// <summary>The app a validated token names, or null when it names none.</summary>
    public static VerifiedCaller? Of(ClaimsPrincipal user, IReadOnlyDictionary<string, string> knownApps)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(knownApps);
        var appId = user.FindFirst("azp")?.Value ?? user.FindFirst("appid")?.Value;
        if (string.IsNullOrEmpty(appId))
        {
            return null;
        }
        // Entra puts no display name in an app token: the service's own list names the apps it knows.
        return new VerifiedCaller(appId, knownApps.TryGetValue(appId, out var name) && name.Length > 0 ? name : appId);
    }
}
