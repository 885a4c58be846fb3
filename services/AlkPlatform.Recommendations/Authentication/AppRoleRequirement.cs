using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;

namespace AlkPlatform.Recommendations.Authentication;

/// <summary>The caller's app token carries at least one of these app roles (Entra's <c>roles</c> claim).</summary>
public sealed class AppRoleRequirement(IReadOnlyList<string> roles) : IAuthorizationRequirement
{
    public IReadOnlyList<string> Roles { get; } = roles;
}

/// <summary>Checks <see cref="AppRoleRequirement"/> against the validated token's roles.</summary>
public sealed class AppRoleRequirementHandler : AuthorizationHandler<AppRoleRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, AppRoleRequirement requirement)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(requirement);
        if (context.User.Claims.Any(c => c.Type is "roles" or ClaimTypes.Role && requirement.Roles.Contains(c.Value, StringComparer.Ordinal)))
        {
            context.Succeed(requirement);
        }
        return Task.CompletedTask;
    }
}
