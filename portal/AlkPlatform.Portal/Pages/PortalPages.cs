using AlkPlatform.Portal.Authorization;
using AlkPlatform.Portal.Content;

namespace AlkPlatform.Portal.Pages;

/// <summary>Razor Pages with each feature folder mapped to the policy that may open it (the fallback policy closes the rest).</summary>
public static class PortalPages
{
    public static IServiceCollection AddPortalPages(this IServiceCollection services)
    {
        services.AddRazorPages(options =>
        {
            var conventions = options.Conventions;
            conventions.AuthorizeFolder("/", PortalPolicies.Board);
            conventions.AuthorizeFolder("/Revisions", PortalPolicies.Board);
            conventions.AuthorizePage("/Revisions/Edit", PortalPolicies.Edit);
            conventions.AuthorizePage("/Revisions/Submit", PortalPolicies.Edit);
            conventions.AuthorizePage("/Revisions/New", PortalPolicies.Edit);
            conventions.AuthorizeFolder("/Reviews", PortalPolicies.Review);
            conventions.AuthorizePage("/Releases/Publish", PortalPolicies.Publish);
            conventions.AuthorizePage("/Releases/Rollback", PortalPolicies.Rollback);
            conventions.AuthorizePage("/Releases/Retire", PortalPolicies.Retire);
            conventions.AuthorizeFolder("/Audit", PortalPolicies.Audit);
            conventions.AuthorizeFolder("/Ops", PortalPolicies.Ops);
            conventions.AllowAnonymousToFolder("/Account");
            conventions.AllowAnonymousToPage("/Error");
        });
        services.AddSingleton<MarkdownRenderer>();
        services.AddAntiforgery(options =>
        {
            options.HeaderName = "X-CSRF-TOKEN";
            options.Cookie.SecurePolicy = CookieSecurePolicy.Always;
        });
        return services;
    }
}
