using System.Security.Claims;

namespace AlkPlatform.Recommendations.RateLimiting;

/// <summary>
/// Whose budget a call spends: the authenticated app (its <c>azp</c> claim, v1 tokens' <c>appid</c>), or one shared
/// anonymous budget. Never a header the caller chooses, so a caller cannot mint itself fresh budgets.
/// </summary>
public static class CallerPartition
{
    public const string Anonymous = "anonymous";

    public static string KeyOf(ClaimsPrincipal? user)
    {
        if (user?.Identity?.IsAuthenticated != true)
        {
            return Anonymous;
        }
        var app = user.FindFirst("azp")?.Value ?? user.FindFirst("appid")?.Value;
        return string.IsNullOrEmpty(app) ? Anonymous : app;
    }
}
