using AlkPlatform.Portal.Authentication;

namespace AlkPlatform.Portal.Security;

/// <summary>Response headers that keep the pages out of frames, scripts to our own files, and content types honest.</summary>
public static class SecurityHeaders
{
    public static IApplicationBuilder UseSecurityHeaders(this WebApplication app)
    {
        var identityOrigin = AzureAdSettings.Read(app.Configuration.GetSection(PortalAuthentication.SectionName)).Origin;
        // Chromium applies form-action to the redirect after a form post, so the sign-in form must be allowed to reach Entra.
        var csp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; "
            + $"object-src 'none'; base-uri 'none'; form-action 'self' {identityOrigin}; frame-ancestors 'none'";
        return app.Use(async (context, next) =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = csp;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "same-origin";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            await next();
        });
    }
}
