using System.Diagnostics;
using AlkPlatform.Contracts.Ops.V1;
using AlkPlatform.Contracts.Recommendation.V1;
using AlkPlatform.Recommendations.Authentication;
using AlkPlatform.Recommendations.Limits;
using AlkPlatform.Recommendations.Releases;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace AlkPlatform.Recommendations.EvaluationLogs;

/// <summary>
/// Puts every Recommend, Ask and GetGuideline call on record before its answer (or its error) leaves: the handler runs,
/// the outcome is queued for the group-commit writer, and the call completes only once the record is committed.
/// </summary>
public sealed class EvaluationLogInterceptor(GroupCommitLogWriter writer, ReleaseCatalog catalog, TimeProvider clock, CallerAuthentication authentication)
    : Interceptor
{
    public const string EvaluationIdTrailer = "x-evaluation-id";

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        var method = request switch
        {
            RecommendRequest => EvaluationMethod.Recommend,
            AskRequest => EvaluationMethod.Ask,
            GetGuidelineRequest => EvaluationMethod.GetGuideline,
            _ => EvaluationMethod.Unspecified,
        };
        if (method == EvaluationMethod.Unspecified)
        {
            return await continuation(request, context).ConfigureAwait(false);
        }

        var occurredAtMs = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var started = Stopwatch.GetTimestamp();
        TResponse response;
        try
        {
            response = await continuation(request, context).ConfigureAwait(false);
        }
        catch (RpcException ex) when (ex.StatusCode != StatusCode.Cancelled)
        {
            await RecordFailure(request, context, method, occurredAtMs, started, ex.StatusCode, ex.Status.Detail).ConfigureAwait(false);
            throw;
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not RpcException)
        {
            // Unhandled errors reach the caller as Internal; they are on record as such.
            await RecordFailure(request, context, method, occurredAtMs, started, StatusCode.Internal, "Exception was thrown by handler.").ConfigureAwait(false);
            throw;
        }

        var evaluationId = response switch
        {
            RecommendResponse r => r.EvaluationId,
            AskResponse a => a.EvaluationId,
            GetGuidelineResponse g => g.EvaluationId,
            _ => "",
        };
        var http = context.GetHttpContext();
        var caller = authentication.CallerOf(http);
        await writer.Append(new PendingEvaluationLog
        {
            EvaluationId = evaluationId,
            OccurredAtMs = occurredAtMs,
            Method = method,
            Caller = caller.AppId,
            CallerName = caller.Name,
            ClaimedCaller = ClaimedCallerLabel.Of(http),
            Rpc = context.Method,
            Request = (Google.Protobuf.IMessage)request,
            Response = (Google.Protobuf.IMessage)response,
            LatencyUs = (long)Stopwatch.GetElapsedTime(started).TotalMicroseconds,
            TraceId = TraceIdOf(context),
            Deadline = context.Deadline,
        }).ConfigureAwait(false);
        return response;
    }

    private Task RecordFailure<TRequest>(
        TRequest request, ServerCallContext context, EvaluationMethod method, long occurredAtMs, long started, StatusCode status, string message)
        where TRequest : class
    {
        var guidelineId = request switch
        {
            RecommendRequest r => r.GuidelineId,
            AskRequest a => a.GuidelineId,
            GetGuidelineRequest g => g.GuidelineId,
            _ => "",
        };
        // The release that would have answered, when the guideline asked for is served.
        var snapshot = catalog.Current;
        LiveRelease? live = null;
        if (guidelineId.Length == 0 && snapshot.Live.Count == 1)
        {
            foreach (var only in snapshot.Live.Values)
            {
                live = only;
            }
        }
        else if (guidelineId.Length > 0)
        {
            snapshot.Live.TryGetValue(guidelineId, out live);
        }
        var evaluationId = Guid.CreateVersion7().ToString();
        context.ResponseTrailers.Add(EvaluationIdTrailer, evaluationId);
        var http = context.GetHttpContext();
        var caller = authentication.CallerOf(http);
        return writer.Append(new PendingEvaluationLog
        {
            EvaluationId = evaluationId,
            OccurredAtMs = occurredAtMs,
            Method = method,
            Caller = caller.AppId,
            CallerName = caller.Name,
            ClaimedCaller = ClaimedCallerLabel.Of(http),
            Rpc = context.Method,
            Request = (Google.Protobuf.IMessage)request,
            GuidelineId = live?.Release.GuidelineId ?? guidelineId,
            ReleaseId = live?.Release.ReleaseId ?? "",
            RevisionNumber = live?.Release.RevisionNumber ?? 0,
            ContentHash = live?.Release.ContentHash ?? "",
            StatusCode = (int)status,
            StatusMessage = message,
            LatencyUs = (long)Stopwatch.GetElapsedTime(started).TotalMicroseconds,
            TraceId = TraceIdOf(context),
        });
    }

    private static string TraceIdOf(ServerCallContext context)
    {
        if (Activity.Current is { } activity && activity.IdFormat == ActivityIdFormat.W3C)
        {
            return activity.TraceId.ToHexString();
        }
        // Without a listener ASP.NET Core starts no activity; the caller's W3C traceparent still names the trace.
        var parent = HeaderOf(context, TraceParent.Header);
        return parent is not null && TraceParent.IsValid(parent) ? TraceParent.TraceIdOf(parent) : "";
    }

    // Headers are read from the HTTP request directly: ServerCallContext.RequestHeaders copies every header into a new
    // Metadata collection on first use, which the hot path does not need.
    private static string? HeaderOf(ServerCallContext context, string name)
    {
        var values = context.GetHttpContext().Request.Headers[name];
        return values.Count == 0 ? null : values[0];
    }
}
