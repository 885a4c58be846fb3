using AlkPlatform.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Identity.Web;

namespace AlkPlatform.Recommendations.Authentication;

public static class CallerAuthenticationExtensions
{
    /// <summary>
    /// Entra app tokens on every RPC (Microsoft.Identity.Web), each RPC's app role checked by its policy, every refusal
    /// recorded; or, in Development with nothing configured, anonymous callers on loopback, announced at start-up.
    /// Token acquisition is on too: the service follows the portal's feed with an app token of its own.
    /// </summary>
    public static WebApplicationBuilder AddCallerAuthentication(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var authentication = CallerAuthentication.Decide(builder.Configuration, builder.Environment);
        builder.Services.AddSingleton(authentication);
        builder.Services.AddGrpcHealthChecks().AddCheck<AuthenticationHealthCheck>("authentication");
        CallerPolicies.Add(builder.Services.AddAuthorizationBuilder(), authentication.RequiresTokens);
        if (!authentication.RequiresTokens)
        {
            return builder;
        }

        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
            .AddMicrosoftIdentityWebApi(builder.Configuration.GetSection(CallerAuthentication.Section))
            .EnableTokenAcquisitionToCallDownstreamApi()
            .AddInMemoryTokenCaches();
        // The app roles are checked per RPC by the policies, so a token without any role gets PermissionDenied, not a
        // failed authentication.
        builder.Services.Configure<MicrosoftIdentityOptions>(JwtBearerDefaults.AuthenticationScheme, o => o.AllowWebApiToBeAuthorizedByACL = true);
        // The issuer is checked against the metadata the handler already fetched, never by blocking a request thread.
        builder.Services.RequireTenantIssuer(JwtBearerDefaults.AuthenticationScheme,
            ServiceAzureAdSettings.Read(builder.Configuration.GetSection(CallerAuthentication.Section)).TenantId);
        // An app's token, once validated, is not re-validated on each of its calls for a while (ValidatedTokenCache).
        builder.Services.AddSingleton(sp => new ValidatedTokenCache(sp.GetService<TimeProvider>() ?? TimeProvider.System));
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).PostConfigure<ValidatedTokenCache>((options, cache) =>
        {
            cache.MapInboundClaims = options.MapInboundClaims;
            options.TokenHandlers.Clear();
            options.TokenHandlers.Add(cache);
        });
        builder.Services.AddSingleton<IAuthorizationHandler, AppRoleRequirementHandler>();
        builder.Services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, RefusedCallRecorder>();
        return builder;
    }

    public static WebApplication UseCallerAuthentication(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var authentication = app.Services.GetRequiredService<CallerAuthentication>();
        if (authentication.RequiresTokens)
        {
            app.UseAuthentication();
        }
        else
        {
            app.Logger.LogWarning("{Description}", authentication.Description);
        }
        app.UseAuthorization();
        return app;
    }
}
