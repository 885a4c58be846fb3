using Microsoft.AspNetCore.Authorization;

namespace AlkPlatform.Recommendations.Authentication;

/// <summary>
/// The authorisation policy of each RPC, named on the RPC itself with <c>[Authorize(Policy = ...)]</c>. With app tokens each
/// requires an app role; in anonymous Development every policy lets the call through, so the same attributes serve both.
/// </summary>
public static class CallerPolicies
{
    public const string RecommendationsRead = AppRoles.RecommendationsRead;
    public const string FeedbackWrite = AppRoles.FeedbackWrite;
    public const string EvaluationLogsRead = AppRoles.EvaluationLogsRead;

    /// <summary>ListGuidelines says what is served and how healthy the feed is, nothing clinical: ops may read it too.</summary>
    public const string ListGuidelines = "ListGuidelines";

    /// <summary>Reflection outside Development: any app holding one of the service's roles.</summary>
    public const string AnyAppRole = "AnyAppRole";

    public static readonly IReadOnlyDictionary<string, string[]> Roles = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        [RecommendationsRead] = [AppRoles.RecommendationsRead],
        [FeedbackWrite] = [AppRoles.FeedbackWrite],
        [EvaluationLogsRead] = [AppRoles.EvaluationLogsRead],
        [ListGuidelines] = [AppRoles.RecommendationsRead, AppRoles.EvaluationLogsRead],
        [AnyAppRole] = [.. AppRoles.All],
    };

    public static void Add(AuthorizationBuilder authorization, bool requireTokens)
    {
        ArgumentNullException.ThrowIfNull(authorization);
        foreach (var (name, roles) in Roles)
        {
            authorization.AddPolicy(name, policy =>
            {
                if (requireTokens)
                {
                    policy.RequireAuthenticatedUser().AddRequirements(new AppRoleRequirement(roles));
                }
                else
                {
                    policy.RequireAssertion(_ => true);
                }
            });
        }
        if (requireTokens)
        {
            // Anything mapped without a policy still needs a valid token.
            authorization.SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        }
    }
}
