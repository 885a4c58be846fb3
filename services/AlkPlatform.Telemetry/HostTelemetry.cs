using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Instrumentation.AspNetCore;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace AlkPlatform.Telemetry;

/// <summary>What a host traces and measures beyond what every host does: its own sources and meters, and which incoming requests get a span.</summary>
/// <param name="ServiceVersion">The host's version, for the <c>service.version</c> resource attribute.</param>
/// <param name="ActivitySources">The host's own <c>ActivitySource</c> names.</param>
/// <param name="Meters">The host's own meter names.</param>
/// <param name="Incoming">The ASP.NET Core instrumentation's filter (probes, static files) and enrichment.</param>
public sealed record HostSignals(string? ServiceVersion, string[] ActivitySources, string[] Meters, Action<AspNetCoreTraceInstrumentationOptions> Incoming);

public static class HostTelemetry
{
    /// <summary>
    /// The OpenTelemetry SDK as both hosts run it, only when <paramref name="options"/> enable it: the resource (service
    /// name, version, instance id, then <c>OTEL_RESOURCE_ATTRIBUTES</c>), traces of incoming requests, outgoing gRPC and
    /// HttpClient calls and the host's sources; ASP.NET Core, Kestrel and HttpClient meters and the host's; logs. Every span
    /// and log record passes the sensitive-data filters before any exporter sees it; OTLP export only when an endpoint is set.
    /// </summary>
    public static void AddHostTelemetry(this WebApplicationBuilder builder, TelemetryOptions options, HostSignals signals)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(signals);
        if (!options.Enabled)
        {
            return;
        }
        var otlp = OtlpSettings.Read(builder.Configuration, options);
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource
                .AddService(options.ServiceName, serviceVersion: signals.ServiceVersion,
                    autoGenerateServiceInstanceId: false, serviceInstanceId: options.ServiceInstanceId)
                // OTEL_RESOURCE_ATTRIBUTES and OTEL_SERVICE_NAME, read last so what operators set wins.
                .AddEnvironmentVariableDetector());
        if (options.Traces)
        {
            telemetry.WithTracing(tracing =>
            {
                tracing
                    .AddSource(signals.ActivitySources)
                    .AddAspNetCoreInstrumentation(signals.Incoming)
                    .AddGrpcClientInstrumentation()
                    // HttpClient's own spans (.NET 9+): token requests to Entra ID; their URLs' queries are redacted by the runtime.
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
                    .AddMeter(signals.Meters)
                    // http.server.request.duration, Kestrel's connections, HttpClient's requests.
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
            // gRPC logs each failed call's status detail at Information, and a detail may quote the patient facts it refused;
            // the hosting log names every URL with its query.
            builder.Logging.AddFilter<OpenTelemetryLoggerProvider>("Grpc", LogLevel.Warning);
            builder.Logging.AddFilter<OpenTelemetryLoggerProvider>("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);
        }
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
