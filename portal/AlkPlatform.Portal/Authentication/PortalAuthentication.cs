using AlkPlatform.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Identity.Web;

namespace AlkPlatform.Portal.Authentication;

/// <summary>
/// Entra ID sign-in through Microsoft.Identity.Web, the portal's own app tokens (client credentials, for the
/// recommendation service's ops API), and app tokens presented to it (the release feed, checked as a web API). The same
/// code path serves the local identity provider in development and tests; the only relaxation (plain-http metadata) is
/// applied when the authority is loopback.
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
        var authentication = builder.Services.AddAuthentication(options =>
            {
                options.DefaultScheme = CookieAuthenticationDefaults.AuthenticationScheme;
                options.DefaultChallengeScheme = CookieAuthenticationDefaults.AuthenticationScheme;
            });
        authentication.AddMicrosoftIdentityWebApp(section);
        // Recommendation services present app tokens for the portal's own application id to follow the release feed; the
        // same registration gets the portal's own app tokens (client credentials). Token acquisition hangs off this scheme,
        // not the sign-in one, so the OpenID Connect handler keeps redeeming sign-in codes itself.
        authentication.AddMicrosoftIdentityWebApi(section, JwtBearerDefaults.AuthenticationScheme)
            .EnableTokenAcquisitionToCallDownstreamApi()
            .AddInMemoryTokenCaches();
        // The feed checks the Releases.Subscribe role itself, so a token without it is PermissionDenied rather than a failed sign-in.
        builder.Services.Configure<MicrosoftIdentityOptions>(JwtBearerDefaults.AuthenticationScheme, o => o.AllowWebApiToBeAuthorizedByACL = true);
        // Issuers are checked against the metadata the handlers already fetched, never by blocking a request thread.
        builder.Services.RequireTenantIssuer(JwtBearerDefaults.AuthenticationScheme, authority.TenantId)
            .RequireTenantIssuerForSignIn(OpenIdConnectDefaults.AuthenticationScheme, authority.TenantId);

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
        builder.Services.Configure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, options =>
        {
            if (authority.IsLoopback)
            {
                options.RequireHttpsMetadata = false;
            }
        });
        return builder;
    }
}
