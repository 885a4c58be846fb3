using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Identity.Web;

namespace AlkPlatform.Portal.Authentication;

/// <summary>
/// Entra ID sign-in through Microsoft.Identity.Web. The same code path serves the local identity provider in
/// development and tests; the only relaxation (plain-http metadata) is applied when the authority is loopback.
/// </summary>
public static class PortalAuthentication
{
    public const string SectionName = "AzureAd";

    public static WebApplicationBuilder AddPortalAuthentication(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(SectionName);
        var authority = AzureAdSettings.Read(section);
        authority.ThrowIfUnusable(builder.Environment);

        // Unauthenticated users land on our own sign-in page (Microsoft.Identity.Web.UI is not available here).
        builder.Services.AddAuthentication(options =>
            {
                options.DefaultScheme = CookieAuthenticationDefaults.AuthenticationScheme;
                options.DefaultChallengeScheme = CookieAuthenticationDefaults.AuthenticationScheme;
            })
            .AddMicrosoftIdentityWebApp(section);

        builder.Services.Configure<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme, options =>
        {
            options.LoginPath = "/Account/SignIn";
            options.LogoutPath = "/Account/SignOut";
            options.AccessDeniedPath = "/Account/AccessDenied";
            options.ReturnUrlParameter = "returnUrl";
            options.Cookie.Name = "alk.portal";
            options.Cookie.SameSite = SameSiteMode.Lax;
            options.Cookie.SecurePolicy = CookieSecurePolicy.Always;
            options.SlidingExpiration = true;
            options.ExpireTimeSpan = TimeSpan.FromHours(8);
        });

        builder.Services.Configure<OpenIdConnectOptions>(OpenIdConnectDefaults.AuthenticationScheme, options =>
        {
            // Authorization code flow with PKCE and the client secret, the confidential web-app flow Entra recommends.
            options.ResponseType = "code";
            options.UsePkce = true;
            if (authority.IsLoopback)
            {
                // Only a provider on this machine may serve metadata over http (see ../shared/TOOLCHAIN.md).
                options.RequireHttpsMetadata = false;
                options.TokenValidationParameters.ValidIssuers = [authority.Authority];
            }
        });
        return builder;
    }
}
