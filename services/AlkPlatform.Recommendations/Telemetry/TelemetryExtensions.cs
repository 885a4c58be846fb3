using AlkPlatform.Recommendations.Diagnostics;
using AlkPlatform.Recommendations.EvaluationLogs;
using AlkPlatform.Telemetry;

namespace AlkPlatform.Recommendations.Telemetry;

public static class TelemetryExtensions
{
    /// <summary>The service's name in telemetry unless <c>OpenTelemetry:ServiceName</c> or <c>OTEL_SERVICE_NAME</c> says otherwise.</summary>
    public const string DefaultServiceName = "alk-recommendation-service";

    /// <summary>
    /// The service's meters always exist (dotnet-counters reads them); the OpenTelemetry SDK runs only when an OTLP endpoint
    /// is configured (or <c>OpenTelemetry:Enabled</c>), so with telemetry off no call does any tracing work
    /// (<see cref="HostTelemetry"/>: what both hosts share).
    /// </summary>
    public static WebApplicationBuilder AddTelemetry(this WebApplicationBuilder builder)
    {
        var options = TelemetryOptions.Read(builder.Configuration, DefaultServiceName);
        builder.Services.AddSingleton(options);
        builder.Services.AddHostedService<ReleaseMetrics>();
        builder.AddHostTelemetry(options, new HostSignals(
            typeof(TelemetryExtensions).Assembly.GetName().Version?.ToString(),
            [RecommendationsActivities.SourceName],
            // With http.server.request.duration, which carries rpc.method and rpc.grpc.status_code added per call.
            [CallStatusCounter.MeterName, EvaluationLogMetrics.MeterName],
            incoming =>
            {
                // Health probes arrive every few seconds from every orchestrator; they would drown the calls.
                incoming.Filter = http => !http.Request.Path.StartsWithSegments("/grpc.health.v1.Health");
                incoming.EnrichWithHttpResponse = (activity, _) => GrpcCallTags.NameSpan(activity);
            }));
        return builder;
    }
}
