using AlkPlatform.Guidelines.Workflow;
using Microsoft.AspNetCore.Authorization;

namespace AlkPlatform.Portal.Authorization;

/// <summary>
/// Who may open which page. Deny by default: the fallback policy requires a signed-in user holding at least one portal
/// role, so a page nobody mapped is still closed. The workflow re-checks every action (pages only gate).
/// </summary>
public static class PortalPolicies
{
    /// <summary>Any board member or operator: dashboards, history, previews, diffs.</summary>
    public const string Board = "Board";
    public const string Edit = "Edit";
    public const string Review = "Review";
    public const string Approve = "Approve";
    public const string Publish = "Publish";
    public const string Rollback = "Rollback";
    public const string Retire = "Retire";
    public const string Audit = "Audit";
    public const string Ops = "Ops";

    public static readonly IReadOnlyDictionary<string, string[]> Roles = new Dictionary<string, string[]>
    {
        [Board] = [.. PortalRoles.All],
        // Pages that perform one workflow action open to exactly the roles the workflow allows for it.
        [Edit] = DomainRoles(RevisionAction.SaveDraft),
        [Review] = [PortalRoles.Reviewer, PortalRoles.Approver, PortalRoles.Admin],
        [Approve] = DomainRoles(RevisionAction.Approve),
        [Publish] = DomainRoles(RevisionAction.Publish),
        [Rollback] = DomainRoles(RevisionAction.Rollback),
        [Retire] = DomainRoles(RevisionAction.Retire),
        [Audit] = [PortalRoles.Ops, PortalRoles.Admin, PortalRoles.Publisher, PortalRoles.Approver],
        // The evaluation log holds clinical inputs: operators and support only.
        [Ops] = [PortalRoles.Ops, PortalRoles.Admin],
    };

    public static IServiceCollection AddPortalAuthorization(this IServiceCollection services)
    {
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().RequireRole(Roles[Board]).Build())
            .AddPolicy(Board, p => p.RequireAuthenticatedUser().RequireRole(Roles[Board]))
            .AddPolicy(Edit, p => p.RequireAuthenticatedUser().RequireRole(Roles[Edit]))
            .AddPolicy(Review, p => p.RequireAuthenticatedUser().RequireRole(Roles[Review]))
            .AddPolicy(Approve, p => p.RequireAuthenticatedUser().RequireRole(Roles[Approve]))
            .AddPolicy(Publish, p => p.RequireAuthenticatedUser().RequireRole(Roles[Publish]))
            .AddPolicy(Rollback, p => p.RequireAuthenticatedUser().RequireRole(Roles[Rollback]))
            .AddPolicy(Retire, p => p.RequireAuthenticatedUser().RequireRole(Roles[Retire]))
            .AddPolicy(Audit, p => p.RequireAuthenticatedUser().RequireRole(Roles[Audit]))
            .AddPolicy(Ops, p => p.RequireAuthenticatedUser().RequireRole(Roles[Ops]));
        return services;
    }

    private static string[] DomainRoles(RevisionAction action) =>
        [.. RevisionStateMachine.RolesFor(action).Select(r => r.ToString()).Order(StringComparer.Ordinal)];
}
