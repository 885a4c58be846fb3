using AlkPlatform.Recommendations.EvaluationLogs;
using AlkPlatform.Recommendations.Releases;
using Microsoft.Extensions.DependencyInjection.Extensions;
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
        builder.Services.AddSingleton(Options.Create(feed));
        builder.Services.AddSingleton(loaded);
        builder.Services.AddSingleton(loaded.Verifier);
        builder.Services.AddSingleton(new ReleaseFeedStatus { Configured = feed.Configured });
        builder.Services.AddHostedService<ReleaseFeedSubscriber>();
        builder.Services.TryAddSingleton<OpsApiKeyInterceptor>();
        // The same protection as the evaluation log's ops API: the portal holds the ops key.
        builder.Services.AddGrpc().AddServiceOptions<ReleaseActivationApi>(o => o.Interceptors.Add<OpsApiKeyInterceptor>());
        return builder;
    }

    public static WebApplication MapReleaseActivationApi(this WebApplication app)
    {
        app.MapGrpcService<ReleaseActivationApi>();
        return app;
    }
}
