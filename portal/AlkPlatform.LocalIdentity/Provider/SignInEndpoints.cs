using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace AlkPlatform.LocalIdentity.Provider;

/// <summary>The "pick a demo user" page behind the authorize endpoint, and the end-session endpoint.</summary>
public static class SignInEndpoints
{
    public const string UserField = "demo_user";

    public static void MapLocalIdentityEndpoints(this WebApplication app)
    {
        var tenant = app.Services.GetRequiredService<IOptions<LocalIdentityOptions>>().Value.TenantId;
        var authorize = $"/{tenant}/oauth2/v2.0/authorize";
        app.MapGet(authorize, ShowPicker);
        app.MapPost(authorize, SignIn).DisableAntiforgery();
        app.MapMethods($"/{tenant}/oauth2/v2.0/logout", ["GET", "POST"], () =>
            Results.SignOut(new AuthenticationProperties { RedirectUri = "/" }, [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]))
            .DisableAntiforgery();
        app.MapGet("/", () => Results.Content(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Local identity provider</title></head>" +
            "<body><main><h1>AlkPlatform local identity provider</h1><p>Development stand-in for Entra ID. Open the portal to sign in.</p></main></body></html>",
            "text/html; charset=utf-8"));
    }

    private static IResult ShowPicker(HttpContext context, IAntiforgery antiforgery)
    {
        var request = context.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenID Connect request.");
        var tokens = antiforgery.GetAndStoreTokens(context);
        var html = new StringBuilder();
        var encode = HtmlEncoder.Default;
        html.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<title>Sign in – local identity provider</title><style>")
            .Append("body{font-family:system-ui,sans-serif;margin:0;background:#f4f6f8;color:#1b1f24}main{max-width:40rem;margin:2rem auto;padding:1rem}")
            .Append("ul{list-style:none;padding:0}li{margin:.5rem 0}button{width:100%;text-align:left;padding:.75rem 1rem;border:1px solid #8a96a3;border-radius:6px;background:#fff;font:inherit;cursor:pointer}")
            .Append("button:focus-visible{outline:3px solid #0b57d0;outline-offset:2px}.roles{color:#3b4653;font-size:.9rem;display:block}")
            .Append("</style></head><body><main><h1>Sign in as a demo user</h1>")
            .Append("<p>This is the local development identity provider (a stand-in for Entra ID). Pick who you are:</p>")
            .Append("<form method=\"post\">");
        foreach (var parameter in request.GetParameters())
        {
            html.Append("<input type=\"hidden\" name=\"").Append(encode.Encode(parameter.Key)).Append("\" value=\"")
                .Append(encode.Encode((string?)parameter.Value ?? "")).Append("\">");
        }
        html.Append("<input type=\"hidden\" name=\"").Append(encode.Encode(tokens.FormFieldName)).Append("\" value=\"")
            .Append(encode.Encode(tokens.RequestToken ?? "")).Append("\"><ul>");
        foreach (var user in DemoUsers.All)
        {
            var roles = user.Roles.Count == 0 ? "no portal role" : string.Join(", ", user.Roles);
            html.Append("<li><button type=\"submit\" name=\"").Append(UserField).Append("\" value=\"").Append(encode.Encode(user.ObjectId))
                .Append("\" data-user=\"").Append(encode.Encode(user.PreferredUsername)).Append("\"><strong>").Append(encode.Encode(user.Name))
                .Append("</strong> <span class=\"roles\">").Append(encode.Encode(user.PreferredUsername)).Append(" · ")
                .Append(encode.Encode(roles)).Append(" — ").Append(encode.Encode(user.Description)).Append("</span></button></li>");
        }
        html.Append("</ul></form></main></body></html>");
        return Results.Content(html.ToString(), "text/html; charset=utf-8");
    }

    private static async Task<IResult> SignIn(HttpContext context, IAntiforgery antiforgery, IOptions<LocalIdentityOptions> options)
    {
        await antiforgery.ValidateRequestAsync(context);
        var request = context.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenID Connect request.");
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var user = DemoUsers.Find(form[UserField]);
        if (user is null)
        {
            return Results.BadRequest("Pick one of the listed demo users.");
        }

        var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, "roles");
        identity.SetClaim(Claims.Subject, user.ObjectId)
            .SetClaim("oid", user.ObjectId)
            .SetClaim("tid", options.Value.TenantId)
            .SetClaim(Claims.Name, user.Name)
            .SetClaim(Claims.PreferredUsername, user.PreferredUsername)
            .SetClaim("ver", "2.0")
            .SetClaims("roles", [.. user.Roles]);
        identity.SetScopes(request.GetScopes());
        identity.SetDestinations(static _ => [Destinations.IdentityToken, Destinations.AccessToken]);
        return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }
}
