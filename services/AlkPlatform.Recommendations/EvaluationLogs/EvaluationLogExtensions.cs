using AlkPlatform.Recommendations.Recommend;

namespace AlkPlatform.Recommendations.EvaluationLogs;

public static class EvaluationLogExtensions
{
    /// <summary>Every evaluation is committed to the log before its answer leaves; old records age out.</summary>
    public static WebApplicationBuilder AddEvaluationLogs(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<EvaluationLogOptions>().BindConfiguration(EvaluationLogOptions.Section);
        builder.Services.AddSingleton<GroupCommitLogWriter>();
        // Registered before the web host's own service, so it stops after Kestrel has drained in-flight calls.
        builder.Services.AddHostedService(sp => sp.GetRequiredService<GroupCommitLogWriter>());
        builder.Services.AddHealthChecks().AddCheck<EvaluationLogHealthCheck>("evaluation-log");
        builder.Services.AddSingleton<EvaluationLogRetentionService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<EvaluationLogRetentionService>());
        builder.Services.AddSingleton<EvaluationLogQueries>();
        builder.Services.AddSingleton<AskAbstentionQueries>();
        builder.Services.AddSingleton<EvaluationReplayer>();
        builder.Services.AddSingleton<EvaluationLogInterceptor>();
        builder.Services.AddGrpc()
            .AddServiceOptions<RecommendationApi>(o => o.Interceptors.Add<EvaluationLogInterceptor>());
        return builder;
    }

    public static WebApplication MapEvaluationLogApi(this WebApplication app)
    {
        app.MapGrpcService<EvaluationLogApi>();
        app.MapGrpcService<CardFeedbackApi>();
        return app;
    }
}
