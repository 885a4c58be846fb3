namespace AlkPlatform.Portal.ReleaseFeed;

/// <summary>
/// The internal release feed. Subscribers are recommendation-service instances on the private network, reaching the
/// h2c listener (Kestrel endpoint "ReleaseFeed", Protocols=Http2) that is not exposed to browsers; releases carry their
/// portal's signature over the event, which each subscriber verifies before it serves anything.
/// </summary>
public static class ReleaseFeedEndpoints
{
    public static IServiceCollection AddReleaseFeed(this IServiceCollection services)
    {
        services.AddGrpc();
        return services;
    }

    public static void MapReleaseFeed(this WebApplication app) =>
        app.MapGrpcService<ReleaseFeedApi>().AllowAnonymous();
}
