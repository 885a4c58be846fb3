using AlkPlatform.Guidelines.Storage;
using AlkPlatform.Portal.Probes;
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
        builder.AddHostTelemetry(options, new HostSignals(
            typeof(TelemetryExtensions).Assembly.GetName().Version?.ToString(),
            [ContentStore.TelemetryName],
            [ContentStore.TelemetryName],
            // Static files are not worth a span each, and probes arrive every few seconds from the orchestrator.
            incoming => incoming.Filter = http =>
                !Path.HasExtension(http.Request.Path.Value) && !http.Request.Path.StartsWithSegments(HealthEndpoints.Readiness)));
        return builder;
    }
}
