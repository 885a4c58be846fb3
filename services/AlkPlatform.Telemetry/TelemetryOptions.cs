using Microsoft.Extensions.Configuration;

namespace AlkPlatform.Telemetry;

/// <summary>
/// What a host exports through OpenTelemetry (section <c>OpenTelemetry</c>); the standard <c>OTEL_*</c> variables are
/// honoured where they exist. With nothing configured, nothing is collected beyond the in-process meters.
/// </summary>
public sealed class TelemetryOptions
{
    public const string Section = "OpenTelemetry";

    /// <summary>The OTLP receiver (a collector); falls back to <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>. Empty = no export.</summary>
    public string OtlpEndpoint { get; init; } = "";

    /// <summary>True when the SDK runs: an OTLP endpoint is set, or <c>OpenTelemetry:Enabled</c> forces it (in-process exporters).</summary>
    public bool Enabled { get; init; }

    public bool Traces { get; init; } = true;

    public bool Metrics { get; init; } = true;

    /// <summary>Logs go to OTLP only when exporting; the console keeps its own provider either way.</summary>
    public bool Logs { get; init; } = true;

    public string ServiceName { get; init; } = "";

    public string ServiceInstanceId { get; init; } = "";

    public bool Exporting => OtlpEndpoint.Length > 0;

    /// <summary>Reads the section and the standard variables; <c>OTEL_SDK_DISABLED=true</c> turns everything off.</summary>
    public static TelemetryOptions Read(IConfiguration configuration, string defaultServiceName)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(Section);
        var endpoint = FirstNonEmpty(section["Otlp:Endpoint"], configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var disabled = string.Equals(configuration["OTEL_SDK_DISABLED"], "true", StringComparison.OrdinalIgnoreCase);
        return new TelemetryOptions
        {
            OtlpEndpoint = disabled ? "" : endpoint,
            Enabled = !disabled && (endpoint.Length > 0 || section.GetValue<bool>("Enabled")),
            Traces = section.GetValue("Traces", true),
            Metrics = section.GetValue("Metrics", true),
            Logs = section.GetValue("Logs", true),
            ServiceName = FirstNonEmpty(section["ServiceName"], configuration["OTEL_SERVICE_NAME"], defaultServiceName),
            // In Kubernetes the host name is the pod's name, which is what tells replicas apart.
            ServiceInstanceId = FirstNonEmpty(section["ServiceInstanceId"], Environment.MachineName),
        };
    }

    private static string FirstNonEmpty(params string?[] values) =>
        values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v))?.Trim() ?? "";
}
