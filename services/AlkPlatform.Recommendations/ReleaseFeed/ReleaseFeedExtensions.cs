using AlkPlatform.Recommendations.Authentication;
using AlkPlatform.Recommendations.Releases;
using Microsoft.Extensions.Options;

namespace AlkPlatform.Recommendations.ReleaseFeed;

public static class ReleaseFeedExtensions
{
    /// <summary>
    /// With <c>ReleaseFeed:Address</c> set, releases come only from the portal's feed, each signed event verified under the
    /// keys in <c>ReleaseTrust:*</c> before it goes live; settings that cannot be honoured stop the start.
    /// </summary>
    public static WebApplicationBuilder AddReleaseFeed(this WebApplicationBuilder builder)
    {
        var feed = builder.Configuration.GetSection(ReleaseFeedOptions.Section).Get<ReleaseFeedOptions>() ?? new ReleaseFeedOptions();
        var trust = builder.Configuration.GetSection(ReleaseTrustOptions.Section).Get<ReleaseTrustOptions>() ?? new ReleaseTrustOptions();
        var loaded = ReleaseTrust.Load(trust, feed, builder.Environment);
        ThrowIfNoFeedToken(feed, builder.Configuration, builder.Environment);
        builder.Services.AddSingleton(Options.Create(feed));
        builder.Services.AddSingleton(loaded);
        builder.Services.AddSingleton(loaded.Verifier);
        builder.Services.AddSingleton(new ReleaseFeedStatus { Configured = feed.Configured });
        builder.Services.AddHostedService<ReleaseFeedSubscriber>();
        return builder;
    }

    /// <summary>With authentication on, the feed is followed with an app token, so its scope must be named.</summary>
    private static void ThrowIfNoFeedToken(ReleaseFeedOptions feed, ConfigurationManager configuration, IHostEnvironment environment)
    {
        var tokens = !ServiceAzureAdSettings.Read(configuration.GetSection(CallerAuthentication.Section)).IsEmpty;
        if (feed.Configured && tokens && string.IsNullOrWhiteSpace(feed.Scope))
        {
            throw new InvalidOperationException(
                "ReleaseFeed:Address is set but ReleaseFeed:Scope is not: the portal's feed needs an app token; set ReleaseFeed:Scope to " +
                "api://{the portal's application id}/.default and give this service's app the portal's Releases.Subscribe role.");
        }
        if (feed.Configured && !tokens && !string.IsNullOrWhiteSpace(feed.Scope))
        {
            throw new InvalidOperationException(
                $"ReleaseFeed:Scope is set but the service has no AzureAd settings to get a token with ({environment.EnvironmentName}): " +
                "set AzureAd:Instance, AzureAd:TenantId, AzureAd:ClientId and a client credential (AzureAd:ClientSecret or AzureAd:ClientCredentials).");
        }
    }

    public static WebApplication MapReleaseActivationApi(this WebApplication app)
    {
        app.MapGrpcService<ReleaseActivationApi>();
        return app;
    }
}
