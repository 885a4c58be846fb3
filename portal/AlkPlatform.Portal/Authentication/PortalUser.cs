using System.Security.Claims;
using AlkPlatform.Guidelines.Workflow;
using Microsoft.Identity.Web;

namespace AlkPlatform.Portal.Authentication;

/// <summary>The signed-in board member as the domain sees them: Entra object id, display name, app roles.</summary>
public sealed record PortalUser(string Id, string Name, IReadOnlyList<string> Roles)
{
    public static PortalUser From(ClaimsPrincipal principal) => new(
        principal.GetObjectId() ?? throw new InvalidOperationException("The signed-in user has no object id (oid) claim."),
        principal.FindFirstValue("name") ?? principal.GetDisplayName() ?? "unknown",
        [.. principal.FindAll(ClaimTypes.Role).Select(c => c.Value).Distinct(StringComparer.Ordinal)]);

    /// <summary>The workflow's actor: app roles that name no workflow role are ignored.</summary>
    public Actor ToActor() => new(Id, Name, Roles
        .Select(r => Enum.TryParse<Role>(r, ignoreCase: false, out var role) ? role : (Role?)null)
        .OfType<Role>()
        .ToHashSet());
}
