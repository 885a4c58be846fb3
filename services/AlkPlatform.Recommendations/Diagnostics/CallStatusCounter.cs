using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using AlkPlatform.Recommendations.Telemetry;
using Grpc.Core;
using Grpc.Core.Interceptors;
using AlkPlatform.Telemetry;

namespace AlkPlatform.Recommendations.Diagnostics;

/// <summary>
/// Counts finished unary calls by method and gRPC status. HTTP-level load tools see every gRPC error as a 200, so the
/// service itself must say how many calls were not OK. Synchronous handlers are counted without an async frame. With
/// telemetry on, the same status is put on the call's span and its request-duration measurement (<see cref="GrpcCallTags"/>).
/// </summary>
public sealed class CallStatusCounter : Interceptor
{
    /// <summary>The service's own meter: calls by status here, the release gauges in <see cref="ReleaseMetrics"/>.</summary>
    public const string MeterName = "AlkPlatform.Recommendations";

    private const int StatusCodeCount = 17;
    private readonly ConcurrentDictionary<string, MethodCalls> _byMethod = new(StringComparer.Ordinal);
    private readonly bool _tagTelemetry;

    public CallStatusCounter(IMeterFactory meters, TelemetryOptions? telemetry = null)
    {
        ArgumentNullException.ThrowIfNull(meters);
        _tagTelemetry = telemetry?.Enabled == true;
        var meter = meters.Create(MeterName);
        meter.CreateObservableCounter("alk.recommendations.rpc.calls", Observe, "{call}", "Finished unary calls by method and gRPC status.");
    }

    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        var calls = _byMethod.GetOrAdd(context.Method, static method => new MethodCalls(method));
        Task<TResponse> task;
        try
        {
            task = continuation(request, context);
        }
        catch (Exception ex)
        {
            Finish(calls, context, StatusOf(ex));
            throw;
        }
        if (task.IsCompletedSuccessfully)
        {
            Finish(calls, context, context.Status.StatusCode);
            return task;
        }
        return Awaited(task, calls, context);
    }

    private async Task<TResponse> Awaited<TResponse>(Task<TResponse> task, MethodCalls calls, ServerCallContext context)
    {
        try
        {
            var response = await task.ConfigureAwait(false);
            Finish(calls, context, context.Status.StatusCode);
            return response;
        }
        catch (Exception ex)
        {
            Finish(calls, context, StatusOf(ex));
            throw;
        }
    }

    private static StatusCode StatusOf(Exception ex) =>
        ex is RpcException rpc ? rpc.StatusCode : ex is OperationCanceledException ? StatusCode.Cancelled : StatusCode.Unknown;

    private void Finish(MethodCalls calls, ServerCallContext context, StatusCode status)
    {
        Interlocked.Increment(ref calls.Counts[(int)status]);
        if (_tagTelemetry)
        {
            GrpcCallTags.Add(context, calls.Service, calls.Name, status);
        }
    }

    /// <summary>Counts so far, per method, for each status that occurred.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, long>> Snapshot()
    {
        var result = new SortedDictionary<string, IReadOnlyDictionary<string, long>>(StringComparer.Ordinal);
        foreach (var (method, calls) in _byMethod)
        {
            var byStatus = new SortedDictionary<string, long>(StringComparer.Ordinal);
            for (var code = 0; code < calls.Counts.Length; code++)
            {
                var n = Interlocked.Read(ref calls.Counts[code]);
                if (n > 0)
                {
                    byStatus[((StatusCode)code).ToString()] = n;
                }
            }
            result[method] = byStatus;
        }
        return result;
    }

    private IEnumerable<Measurement<long>> Observe()
    {
        foreach (var calls in _byMethod.Values)
        {
            for (var code = 0; code < calls.Counts.Length; code++)
            {
                var n = Interlocked.Read(ref calls.Counts[code]);
                if (n > 0)
                {
                    yield return new Measurement<long>(n,
                        new KeyValuePair<string, object?>("rpc.system", "grpc"),
                        new KeyValuePair<string, object?>("rpc.service", calls.Service),
                        new KeyValuePair<string, object?>("rpc.method", calls.Name),
                        new KeyValuePair<string, object?>("rpc.grpc.status_code", code));
                }
            }
        }
    }

    /// <summary>One method's counts, with its path split as OpenTelemetry's RPC conventions name the parts.</summary>
    private sealed class MethodCalls
    {
        public MethodCalls(string path)
        {
            var slash = path.LastIndexOf('/');
            Service = slash > 0 ? path[1..slash] : path.TrimStart('/');
            Name = slash >= 0 ? path[(slash + 1)..] : path;
        }

        public long[] Counts { get; } = new long[StatusCodeCount];
        public string Service { get; }
        public string Name { get; }
    }
}
