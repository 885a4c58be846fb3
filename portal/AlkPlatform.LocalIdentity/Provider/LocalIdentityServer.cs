using Microsoft.AspNetCore;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace AlkPlatform.LocalIdentity.Provider;

/// <summary>
/// OpenIddict configured as a stand-in for Entra ID v2: the same URL layout, issuer shape, id-token claims and app tokens
/// (client credentials), so the portal and the recommendation service run their unchanged Microsoft.Identity.Web code
/// paths against it. Keys are ephemeral unless a signing key file is given; there is no database.
/// </summary>
public static class LocalIdentityServer
{
    public static WebApplicationBuilder AddLocalIdentityServer(this WebApplicationBuilder builder)
    {
        if (builder.Environment.IsProduction())
        {
            throw new InvalidOperationException("The local identity provider is for development and tests only; it refuses to run in Production.");
        }
        var section = builder.Configuration.GetSection(LocalIdentityOptions.SectionName);
        var settings = new LocalIdentityOptions();
        section.Bind(settings);
        builder.Services.Configure<LocalIdentityOptions>(section);
        var tenant = settings.TenantId;

        builder.Services.AddAntiforgery();
        builder.Services.AddOpenIddict().AddServer(options =>
        {
            options.SetAuthorizationEndpointUris($"{tenant}/oauth2/v2.0/authorize")
                .SetTokenEndpointUris($"{tenant}/oauth2/v2.0/token")
                .SetEndSessionEndpointUris($"{tenant}/oauth2/v2.0/logout")
                .SetConfigurationEndpointUris($"{tenant}/v2.0/.well-known/openid-configuration")
                .SetJsonWebKeySetEndpointUris($"{tenant}/discovery/v2.0/keys");
            options.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange().AllowRefreshTokenFlow();
            options.AllowClientCredentialsFlow();
            options.RegisterScopes(Scopes.OpenId, Scopes.Profile, Scopes.Email, Scopes.OfflineAccess);
            // Entra's client-credentials requests name the API as "api://{id}/.default" (or "{id}/.default").
            options.RegisterScopes([.. settings.Apis.Values.SelectMany(api => api.DefaultScopes)]);
            options.RegisterClaims("tid", "oid", Claims.Name, Claims.PreferredUsername, "roles", "ver", "azp", "appid", "idtyp");
            options.AddEphemeralEncryptionKey();
            if (string.IsNullOrWhiteSpace(settings.SigningKeyFile))
            {
                options.AddEphemeralSigningKey();
            }
            else
            {
                options.AddSigningKey(AppTokens.LoadSigningKey(settings.SigningKeyFile));
            }
            options.DisableAccessTokenEncryption();
            // No application store: the handlers below check the configured clients themselves.
            options.EnableDegradedMode();
            options.UseAspNetCore()
                .EnableAuthorizationEndpointPassthrough()
                .EnableEndSessionEndpointPassthrough()
                .DisableTransportSecurityRequirement();

            options.AddEventHandler<OpenIddictServerEvents.ValidateAuthorizationRequestContext>(handler => handler.UseInlineHandler(context =>
            {
                var client = FindClient(context.Transaction, context.ClientId);
                if (client is null)
                {
                    context.Reject(Errors.InvalidClient, $"Unknown client '{context.ClientId}'.");
                }
                else if (!client.AllowsRedirect(context.RedirectUri, client.RedirectPaths))
                {
                    context.Reject(Errors.InvalidRequest, "The redirect_uri is not registered for this client.");
                }
                return default;
            }));
            options.AddEventHandler<OpenIddictServerEvents.ValidateTokenRequestContext>(handler => handler.UseInlineHandler(context =>
            {
                var client = FindClient(context.Transaction, context.ClientId);
                if (client is null || string.IsNullOrEmpty(client.ClientSecret)
                    || !System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
                        System.Text.Encoding.UTF8.GetBytes(context.ClientSecret ?? ""), System.Text.Encoding.UTF8.GetBytes(client.ClientSecret)))
                {
                    context.Reject(Errors.InvalidClient, "The client credentials are invalid.");
                }
                return default;
            }));
            options.AddEventHandler<OpenIddictServerEvents.HandleTokenRequestContext>(handler => handler.UseInlineHandler(context =>
            {
                if (context.Request.IsClientCredentialsGrantType())
                {
                    var current = Settings(context.Transaction);
                    var client = current.Clients.Values.First(c => c.ClientId == context.ClientId);
                    if (AppTokens.Issue(current, client, context.Request.GetScopes()) is { } principal)
                    {
                        context.SignIn(principal);
                    }
                    else
                    {
                        context.Reject(Errors.InvalidScope, "Name one API as api://{its client id}/.default.");
                    }
                }
                return default;
            }));
            options.AddEventHandler<OpenIddictServerEvents.ValidateEndSessionRequestContext>(handler => handler.UseInlineHandler(context =>
            {
                if (!string.IsNullOrEmpty(context.PostLogoutRedirectUri)
                    && !GetClients(context.Transaction).Any(c => c.AllowsRedirect(context.PostLogoutRedirectUri, c.PostLogoutRedirectPaths)))
                {
                    context.Reject(Errors.InvalidRequest, "The post_logout_redirect_uri is not registered.");
                }
                return default;
            }));
        });
        return builder;
    }

    /// <summary>Fixes the issuer to Entra's shape, <c>{origin}/{tenant}/v2.0</c>, once the server knows its address.</summary>
    public static void UseEntraShapedIssuer(this WebApplication app)
    {
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var settings = app.Services.GetRequiredService<IOptions<LocalIdentityOptions>>().Value;
            var origin = settings.PublicOrigin?.GetLeftPart(UriPartial.Authority)
                ?? app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
                ?? throw new InvalidOperationException("Set LocalIdentity:PublicOrigin: the server reports no address.");
            SetEntraShapedIssuer(app.Services, origin);
        });
    }

    /// <summary>
    /// Sets the issuer to <c>{origin}/{tenant}/v2.0</c>. A host started in-process calls this itself before it hands out its
    /// address: under WebApplicationFactory the ApplicationStarted callback above may run only after the first request.
    /// </summary>
    public static void SetEntraShapedIssuer(IServiceProvider services, string origin)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(origin);
        var tenant = services.GetRequiredService<IOptions<LocalIdentityOptions>>().Value.TenantId;
        services.GetRequiredService<IOptionsMonitor<OpenIddictServerOptions>>().CurrentValue.Issuer =
            new Uri($"{origin.TrimEnd('/')}/{tenant}/v2.0", UriKind.Absolute);
    }

    private static LocalIdentityOptions Settings(OpenIddictServerTransaction transaction) =>
        transaction.GetHttpRequest()!.HttpContext.RequestServices.GetRequiredService<IOptionsSnapshot<LocalIdentityOptions>>().Value;

    private static Dictionary<string, LocalClient>.ValueCollection GetClients(OpenIddictServerTransaction transaction) => Settings(transaction).Clients.Values;

    private static LocalClient? FindClient(OpenIddictServerTransaction transaction, string? clientId) =>
        GetClients(transaction).FirstOrDefault(c => c.ClientId == clientId);
}
