using AlkPlatform.Guidelines.Storage;
using AlkPlatform.Portal.Probes;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using AlkPlatform.Telemetry;

namespace AlkPlatform.Portal.Telemetry;

public static class TelemetryExtensions
{
    /// <summary>The portal's name in telemetry unless <c>OpenTelemetry:ServiceName</c> or <c>OTEL_SERVICE_NAME</c> says otherwise.</summary>
    public const string DefaultServiceName = "alk-portal";

    /// <summary>
    /// Pages, the release feed, the ops pages' calls and token requests, and content-database writes, exported over OTLP
    /// only when an endpoint is configured (or <c>OpenTelemetry:Enabled</c>); every span and log record passes the
    /// sensitive-data filters first (sign-in redirects and filter forms carry codes and identifiers in their queries).
    /// </summary>
    public static WebApplicationBuilder AddTelemetry(this WebApplicationBuilder builder)
    {
        var options = TelemetryOptions.Read(builder.Configuration, DefaultServiceName);
        builder.Services.AddSingleton(options);
        if (!options.Enabled)
        {
            return builder;
        }
        var otlp = OtlpEndpoint(builder.Configuration, options);
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource
                .AddService(options.ServiceName, serviceVersion: typeof(TelemetryExtensions).Assembly.GetName().Version?.ToString(),
                    autoGenerateServiceInstanceId: false, serviceInstanceId: options.ServiceInstanceId)
                .AddEnvironmentVariableDetector());
        if (options.Traces)
        {
            telemetry.WithTracing(tracing =>
            {
                tracing
                    .AddSource(ContentStore.TelemetryName)
                    // Static files are not worth a span each, and probes arrive every few seconds from the orchestrator.
                    .AddAspNetCoreInstrumentation(o => o.Filter = http =>
                        !Path.HasExtension(http.Request.Path.Value) && !http.Request.Path.StartsWithSegments(HealthEndpoints.Readiness))
                    .AddGrpcClientInstrumentation()
                    .AddSource("System.Net.Http")
                    .AddProcessor(new SensitiveSpanFilter());
                if (otlp is not null)
                {
                    tracing.AddOtlpExporter(o => otlp(o, "v1/traces"));
                }
            });
        }
        if (options.Metrics)
        {
            telemetry.WithMetrics(metrics =>
            {
                metrics.AddMeter(ContentStore.TelemetryName, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "System.Net.Http");
                if (otlp is not null)
                {
                    metrics.AddOtlpExporter(o => otlp(o, "v1/metrics"));
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
                    logging.AddOtlpExporter(o => otlp(o, "v1/logs"));
                }
            });
            // gRPC logs each failed call's status detail at Information; the hosting log names every URL with its query.
            builder.Logging.AddFilter<OpenTelemetryLoggerProvider>("Grpc", LogLevel.Warning);
            builder.Logging.AddFilter<OpenTelemetryLoggerProvider>("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);
        }
        return builder;
    }

    /// <summary>
    /// Applies <c>OpenTelemetry:Otlp:Endpoint</c> and <c>:Protocol</c> over what the exporter read from the standard
    /// <c>OTEL_EXPORTER_OTLP_*</c> variables; null when nothing is exported.
    /// </summary>
    private static Action<OtlpExporterOptions, string>? OtlpEndpoint(ConfigurationManager configuration, TelemetryOptions options)
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
        return (exporter, signalPath) =>
        {
            if (protocol is { } chosen)
            {
                exporter.Protocol = chosen;
            }
            if (endpoint is not null)
            {
                // A configured endpoint is the collector's base address; over HTTP each signal has its own path, as with the variable.
                exporter.Endpoint = exporter.Protocol == OtlpExportProtocol.HttpProtobuf
                    ? new Uri(endpoint, endpoint.AbsolutePath.TrimEnd('/') + "/" + signalPath)
                    : endpoint;
            }
        };
    }
}
