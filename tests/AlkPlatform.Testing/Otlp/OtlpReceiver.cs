using AlkPlatform.Testing.Otlp.Collector.Logs;
using AlkPlatform.Testing.Otlp.Collector.Metrics;
using AlkPlatform.Testing.Otlp.Collector.Trace;
using AlkPlatform.Testing.Otlp.Common;
using AlkPlatform.Testing.Telemetry;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AlkPlatform.Testing.Otlp;

/// <summary>
/// A minimal OTLP/gRPC collector on a loopback h2c port: it accepts trace, metric and log exports as a real collector does
/// and keeps what arrived, each span and log record with the resource that sent it. No collector can be installed here;
/// this one speaks the same wire protocol (the messages in Protos/, field numbers as in opentelemetry-proto).
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;

    private readonly Received _received;

    private OtlpReceiver(WebApplication app, Received received)
    {
        _app = app;
        _received = received;
        Spans = received.Spans;
        Logs = received.Logs;
        MetricNames = received.MetricNames;
        Endpoint = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
    }

    /// <summary>Where exporters send to: <c>http://127.0.0.1:port</c> (OTLP/gRPC).</summary>
    public Uri Endpoint { get; }

    public ExportedCollection<ReceivedSpan> Spans { get; }

    public ExportedCollection<ReceivedLog> Logs { get; }

    /// <summary>The name of every metric in every export (one entry per metric per export).</summary>
    public ExportedCollection<string> MetricNames { get; }

    /// <summary>Spans, metrics and log records received so far, counted whether or not they are kept.</summary>
    public (long Spans, long Metrics, long Logs, long Exports) Counts =>
        (Interlocked.Read(ref _received.SpanCount), Interlocked.Read(ref _received.MetricCount), Interlocked.Read(ref _received.LogCount),
            Interlocked.Read(ref _received.ExportCount));

    /// <param name="port">0 for a free port.</param>
    /// <param name="keep">False to only count what arrives (a long benchmark would otherwise keep millions of spans).</param>
    public static async Task<OtlpReceiver> StartAsync(int port = 0, bool keep = true, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        // The output folder holds a service's appsettings.json; the receiver must not read it.
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(System.Net.IPAddress.Loopback, port, o => o.Protocols = HttpProtocols.Http2));
        // OTLP batches can be large: the exporter's own default cap is 4 MB, as here.
        builder.Services.AddGrpc(o => o.MaxReceiveMessageSize = 16 << 20);
        var received = new Received { Keep = keep };
        builder.Services.AddSingleton(received);
        var app = builder.Build();
        app.MapGrpcService<TraceExports>();
        app.MapGrpcService<MetricExports>();
        app.MapGrpcService<LogExports>();
        await app.StartAsync(cancellationToken);
        return new OtlpReceiver(app, received);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>One attribute list as strings (ints, doubles and booleans in invariant form), last value of a key winning.</summary>
    public static IReadOnlyDictionary<string, string> Flatten(IEnumerable<KeyValue> attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        var flat = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var attribute in attributes)
        {
            flat[attribute.Key] = Text(attribute.Value);
        }
        return flat;
    }

    /// <summary>An attribute value as text; arrays and maps as their protobuf JSON.</summary>
    public static string Text(AnyValue? value) => value?.ValueCase switch
    {
        null or AnyValue.ValueOneofCase.None => "",
        AnyValue.ValueOneofCase.StringValue => value.StringValue,
        AnyValue.ValueOneofCase.BoolValue => value.BoolValue ? "true" : "false",
        AnyValue.ValueOneofCase.IntValue => value.IntValue.ToString(System.Globalization.CultureInfo.InvariantCulture),
        AnyValue.ValueOneofCase.DoubleValue => value.DoubleValue.ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    private sealed class Received
    {
        public long SpanCount;
        public long MetricCount;
        public long LogCount;
        public long ExportCount;

        public bool Keep { get; init; }

        public ExportedCollection<ReceivedSpan> Spans { get; } = new();
        public ExportedCollection<ReceivedLog> Logs { get; } = new();
        public ExportedCollection<string> MetricNames { get; } = new();
    }

    private sealed class TraceExports(Received received) : TraceService.TraceServiceBase
    {
        public override Task<ExportTraceServiceResponse> Export(ExportTraceServiceRequest request, ServerCallContext context)
        {
            Interlocked.Increment(ref received.ExportCount);
            foreach (var resourceSpans in request.ResourceSpans)
            {
                var resource = Flatten(resourceSpans.Resource?.Attributes ?? []);
                foreach (var scope in resourceSpans.ScopeSpans)
                {
                    Interlocked.Add(ref received.SpanCount, scope.Spans.Count);
                    if (received.Keep)
                    {
                        foreach (var span in scope.Spans)
                        {
                            received.Spans.Add(new ReceivedSpan(span, scope.Scope?.Name ?? "", resource));
                        }
                    }
                }
            }
            return Task.FromResult(new ExportTraceServiceResponse());
        }
    }

    private sealed class MetricExports(Received received) : MetricsService.MetricsServiceBase
    {
        public override Task<ExportMetricsServiceResponse> Export(ExportMetricsServiceRequest request, ServerCallContext context)
        {
            Interlocked.Increment(ref received.ExportCount);
            foreach (var metric in request.ResourceMetrics.SelectMany(r => r.ScopeMetrics).SelectMany(s => s.Metrics))
            {
                Interlocked.Increment(ref received.MetricCount);
                if (received.Keep)
                {
                    received.MetricNames.Add(metric.Name);
                }
            }
            return Task.FromResult(new ExportMetricsServiceResponse());
        }
    }

    private sealed class LogExports(Received received) : LogsService.LogsServiceBase
    {
        public override Task<ExportLogsServiceResponse> Export(ExportLogsServiceRequest request, ServerCallContext context)
        {
            Interlocked.Increment(ref received.ExportCount);
            foreach (var resourceLogs in request.ResourceLogs)
            {
                var resource = Flatten(resourceLogs.Resource?.Attributes ?? []);
                foreach (var record in resourceLogs.ScopeLogs.SelectMany(s => s.LogRecords))
                {
                    Interlocked.Increment(ref received.LogCount);
                    if (received.Keep)
                    {
                        received.Logs.Add(new ReceivedLog(record, resource));
                    }
                }
            }
            return Task.FromResult(new ExportLogsServiceResponse());
        }
    }
}
