using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;

namespace AlkPlatform.Portal.ReleaseFeed;

/// <summary>
/// The internal release feed. Subscribers are recommendation-service instances on the private network, reaching the
/// h2c listener (Kestrel endpoint "ReleaseFeed", Protocols=Http2) that is not exposed to browsers, each with an Entra app
/// token for the portal carrying the Releases.Subscribe app role; releases carry their portal's signature over the event,
/// which each subscriber verifies before it serves anything.
/// </summary>
public static class ReleaseFeedEndpoints
{
    public const string SubscribeRole = "Releases.Subscribe";
    public const string SubscriberPolicy = "ReleaseFeedSubscriber";

    public static IServiceCollection AddReleaseFeed(this IServiceCollection services)
    {
        services.AddGrpc();
        services.AddAuthorizationBuilder().AddPolicy(SubscriberPolicy, policy => policy
            .AddAuthenticationSchemes(JwtBearerDefaults.AuthenticationScheme)
            .RequireAuthenticatedUser()
            .RequireAssertion(context => context.User.HasClaim(c => c.Type is "roles" or ClaimTypes.Role && c.Value == SubscribeRole)));
        return services;
    }

    public static void MapReleaseFeed(this WebApplication app) =>
        app.MapGrpcService<ReleaseFeedApi>().RequireAuthorization(SubscriberPolicy);
}
