namespace AlkPlatform.Portal.Ops;

public static class RecommendationServiceClients
{
    /// <summary>
    /// The recommendation service's replicas for the ops pages (each asked over its own channel with the portal's app
    /// token) and the audit page's activation reader.
    /// </summary>
    public static WebApplicationBuilder AddRecommendationServiceClients(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<RecommendationServiceOptions>().BindConfiguration(RecommendationServiceOptions.Section);
        builder.Services.AddSingleton<RecommendationServiceChannels>();
        builder.Services.AddSingleton<RecommendationServiceConnection>();
        builder.Services.AddSingleton<ReleaseActivationReader>();
        return builder;
    }
}
