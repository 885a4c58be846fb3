using AlkPlatform.Recommendations.Diagnostics;
using AlkPlatform.Recommendations.EvaluationLogs;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using AlkPlatform.Telemetry;

namespace AlkPlatform.Recommendations.Telemetry;

public static class TelemetryExtensions
{
    /// <summary>The service's name in telemetry unless <c>OpenTelemetry:ServiceName</c> or <c>OTEL_SERVICE_NAME</c> says otherwise.</summary>
    public const string DefaultServiceName = "alk-recommendation-service";

    /// <summary>
    /// The service's meters always exist (dotnet-counters reads them); the OpenTelemetry SDK runs only when an OTLP endpoint
    /// is configured (or <c>OpenTelemetry:Enabled</c>), so with telemetry off no call does any tracing work. Every span and
    /// log record passes the sensitive-data filters before any exporter sees it.
    /// </summary>
    public static WebApplicationBuilder AddTelemetry(this WebApplicationBuilder builder)
    {
        var options = TelemetryOptions.Read(builder.Configuration, DefaultServiceName);
        builder.Services.AddSingleton(options);
        builder.Services.AddHostedService<ReleaseMetrics>();
        if (!options.Enabled)
        {
            return builder;
        }
        var otlp = OtlpSettings.Read(builder.Configuration, options);
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource
                .AddService(options.ServiceName, serviceVersion: typeof(TelemetryExtensions).Assembly.GetName().Version?.ToString(),
                    autoGenerateServiceInstanceId: false, serviceInstanceId: options.ServiceInstanceId)
                // OTEL_RESOURCE_ATTRIBUTES and OTEL_SERVICE_NAME, read last so what operators set wins.
                .AddEnvironmentVariableDetector());
        if (options.Traces)
        {
            telemetry.WithTracing(tracing =>
            {
                tracing
                    .AddSource(RecommendationsActivities.SourceName)
                    // Health probes arrive every few seconds from every orchestrator; they would drown the calls.
                    .AddAspNetCoreInstrumentation(o =>
                    {
                        o.Filter = http => !http.Request.Path.StartsWithSegments("/grpc.health.v1.Health");
                        o.EnrichWithHttpResponse = (activity, _) => GrpcCallTags.NameSpan(activity);
                    })
                    .AddGrpcClientInstrumentation()
                    // HttpClient's own spans (.NET 9+): the token requests to Entra ID; their URLs' queries are redacted by the runtime.
                    .AddSource("System.Net.Http")
                    .AddProcessor(new SensitiveSpanFilter());
                if (otlp is not null)
                {
                    tracing.AddOtlpExporter(o => otlp.Apply(o, "v1/traces"));
                }
            });
        }
        if (options.Metrics)
        {
            telemetry.WithMetrics(metrics =>
            {
                metrics
                    .AddMeter(CallStatusCounter.MeterName, EvaluationLogMetrics.MeterName)
                    // http.server.request.duration (with rpc.method and rpc.grpc.status_code added per call), Kestrel's connections.
                    .AddMeter("Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "System.Net.Http");
                if (otlp is not null)
                {
                    metrics.AddOtlpExporter(o => otlp.Apply(o, "v1/metrics"));
                }
            });
        }
        if (options.Logs)
        {
            telemetry.WithLogging(logging =>
            {
                logging.AddProcessor(new SensitiveLogFilter());
                if (otlp is not null)
                {
                    logging.AddOtlpExporter(o => otlp.Apply(o, "v1/logs"));
                }
            });
            // gRPC logs each refused call's status detail at Information, and a detail quotes the patient facts it refused.
            builder.Logging.AddFilter<OpenTelemetryLoggerProvider>("Grpc", LogLevel.Warning);
            builder.Logging.AddFilter<OpenTelemetryLoggerProvider>("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);
        }
        return builder;
    }

    /// <summary>
    /// <c>OpenTelemetry:Otlp:*</c> when set, applied over what the exporter read from the standard <c>OTEL_EXPORTER_OTLP_*</c>
    /// variables itself; null when nothing is exported.
    /// </summary>
    private sealed record OtlpSettings(Uri? Endpoint, OtlpExportProtocol? Protocol)
    {
        public static OtlpSettings? Read(ConfigurationManager configuration, TelemetryOptions options)
        {
            if (!options.Exporting)
            {
                return null;
            }
            var section = configuration.GetSection(TelemetryOptions.Section).GetSection("Otlp");
            var endpoint = section["Endpoint"] is { Length: > 0 } configured ? new Uri(configured) : null;
            OtlpExportProtocol? protocol = section["Protocol"] switch
            {
                null or "" => null,
                "grpc" => OtlpExportProtocol.Grpc,
                "http/protobuf" => OtlpExportProtocol.HttpProtobuf,
                var other => throw new InvalidOperationException(
                    $"OpenTelemetry:Otlp:Protocol is '{other}': use grpc or http/protobuf (or leave it empty for OTEL_EXPORTER_OTLP_PROTOCOL, default grpc)."),
            };
            return new OtlpSettings(endpoint, protocol);
        }

        public void Apply(OtlpExporterOptions exporter, string signalPath)
        {
            if (Protocol is { } protocol)
            {
                exporter.Protocol = protocol;
            }
            if (Endpoint is { } endpoint)
            {
                // A configured endpoint is the collector's base address; over HTTP each signal has its own path, as with the variable.
                exporter.Endpoint = exporter.Protocol == OtlpExportProtocol.HttpProtobuf
                    ? new Uri(endpoint, endpoint.AbsolutePath.TrimEnd('/') + "/" + signalPath)
                    : endpoint;
            }
        }
    }
}
