namespace AlkPlatform.Portal.Authorization;

/// <summary>The portal's roles: the values of the Entra app roles (the <c>roles</c> claim) in deploy/entra-app-roles.json.</summary>
public static class PortalRoles
{
    public const string Author = "Author";
    public const string Reviewer = "Reviewer";
    public const string Approver = "Approver";
    public const string Publisher = "Publisher";
    public const string Ops = "Ops";
    public const string Admin = "Admin";

    public static IReadOnlyList<string> All { get; } = [Author, Reviewer, Approver, Publisher, Ops, Admin];
}
