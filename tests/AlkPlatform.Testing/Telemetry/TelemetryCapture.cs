using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace AlkPlatform.Testing.Telemetry;

/// <summary>
/// OpenTelemetry's in-memory exporters on a host under test: every span and log record after the host's own processors
/// (its sensitive-data filters), and its metrics collected on demand.
/// </summary>
public sealed class TelemetryCapture
{
    private readonly ExportedCollection<MetricSnapshot> _metrics = new();

    public ExportedCollection<Activity> Spans { get; } = new();

    public ExportedCollection<LogRecord> Logs { get; } = new();

    /// <summary>
    /// Turns the SDK on with no OTLP endpoint, at production's log level (Information), so what the framework logs there
    /// reaches the log filters as it would in production.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["OpenTelemetry:Enabled"] = "true",
        ["Logging:LogLevel:Default"] = "Information",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        // The test output keeps the quieter level of the other hosts.
        ["Logging:Console:LogLevel:Default"] = "Warning",
    };

    /// <summary>The settings with <paramref name="more"/> on top.</summary>
    public static IReadOnlyDictionary<string, string> SettingsWith(IReadOnlyDictionary<string, string> more)
    {
        ArgumentNullException.ThrowIfNull(more);
        var all = new Dictionary<string, string>(Settings);
        foreach (var (key, value) in more)
        {
            all[key] = value;
        }
        return all;
    }

    /// <summary>Adds the exporters to the host's OpenTelemetry providers (which its own AddTelemetry set up).</summary>
    public void AddTo(IServiceCollection services)
    {
        services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(Spans));
        services.ConfigureOpenTelemetryLoggerProvider(logging => logging.AddInMemoryExporter(Logs));
        // Collected only when a test asks (ForceFlush), never on a timer.
        services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddInMemoryExporter(_metrics,
            reader => reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = Timeout.Infinite));
    }

    /// <summary>Collects every instrument now and returns what it reported (cumulative since the host started).</summary>
    public IReadOnlyList<MetricSnapshot> CollectMetrics(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        _metrics.Clear();
        services.GetRequiredService<MeterProvider>().ForceFlush();
        return _metrics.Snapshot();
    }

    /// <summary>The points of the metric named <paramref name="name"/> in a collection, with their tags as a dictionary.</summary>
    public static IReadOnlyList<(IReadOnlyDictionary<string, object?> Tags, MetricPoint Point)> Points(IReadOnlyList<MetricSnapshot> collected, string name)
    {
        ArgumentNullException.ThrowIfNull(collected);
        var points = new List<(IReadOnlyDictionary<string, object?>, MetricPoint)>();
        foreach (var metric in collected.Where(m => m.Name == name))
        {
            foreach (var point in metric.MetricPoints)
            {
                var tags = new Dictionary<string, object?>(StringComparer.Ordinal);
                foreach (var tag in point.Tags)
                {
                    tags[tag.Key] = tag.Value;
                }
                points.Add((tags, point));
            }
        }
        return points;
    }
}
