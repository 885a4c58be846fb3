using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace AlkPlatform.Recommendations.Diagnostics;

/// <summary>
/// Counts finished unary calls by method and gRPC status. HTTP-level load tools see every gRPC error as a 200, so the
/// service itself must say how many calls were not OK. Synchronous handlers are counted without an async frame.
/// </summary>
public sealed class CallStatusCounter : Interceptor
{
    private const int StatusCodeCount = 17;
    private readonly ConcurrentDictionary<string, long[]> _byMethod = new(StringComparer.Ordinal);

    public CallStatusCounter(IMeterFactory meters)
    {
        var meter = meters.Create("AlkPlatform.Recommendations");
        meter.CreateObservableCounter("alk.rpc.server.calls", Observe, "{call}", "Finished unary calls by method and gRPC status.");
    }

    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        var counts = _byMethod.GetOrAdd(context.Method, static _ => new long[StatusCodeCount]);
        Task<TResponse> task;
        try
        {
            task = continuation(request, context);
        }
        catch (Exception ex)
        {
            Count(counts, ex);
            throw;
        }
        if (task.IsCompletedSuccessfully)
        {
            Count(counts, context.Status.StatusCode);
            return task;
        }
        return Awaited(task, counts, context);
    }

    private static async Task<TResponse> Awaited<TResponse>(Task<TResponse> task, long[] counts, ServerCallContext context)
    {
        try
        {
            var response = await task.ConfigureAwait(false);
            Count(counts, context.Status.StatusCode);
            return response;
        }
        catch (Exception ex)
        {
            Count(counts, ex);
            throw;
        }
    }

    private static void Count(long[] counts, Exception ex) =>
        Count(counts, ex is RpcException rpc ? rpc.StatusCode : ex is OperationCanceledException ? StatusCode.Cancelled : StatusCode.Unknown);

    private static void Count(long[] counts, StatusCode status) => Interlocked.Increment(ref counts[(int)status]);

    /// <summary>Counts so far, per method, for each status that occurred.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, long>> Snapshot()
    {
        var result = new SortedDictionary<string, IReadOnlyDictionary<string, long>>(StringComparer.Ordinal);
        foreach (var (method, counts) in _byMethod)
        {
            var byStatus = new SortedDictionary<string, long>(StringComparer.Ordinal);
            for (var code = 0; code < counts.Length; code++)
            {
                var n = Interlocked.Read(ref counts[code]);
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
        foreach (var (method, counts) in _byMethod)
        {
            for (var code = 0; code < counts.Length; code++)
            {
                var n = Interlocked.Read(ref counts[code]);
                if (n > 0)
                {
                    yield return new Measurement<long>(n,
                        new KeyValuePair<string, object?>("rpc.method", method),
                        new KeyValuePair<string, object?>("rpc.grpc.status_code", code));
                }
            }
        }
    }
}
