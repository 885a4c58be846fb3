using Grpc.Core;
using Microsoft.AspNetCore.Http.Features;

namespace AlkPlatform.Recommendations.Telemetry;

/// <summary>
/// Puts a finished call's method and gRPC status on its server span and on ASP.NET Core's <c>http.server.request.duration</c>
/// measurement, which otherwise know only the HTTP status (always 200 for gRPC). Each feature is present only when its
/// signal is being collected.
/// </summary>
public static class GrpcCallTags
{
    /// <summary>Names a gRPC call's span <c>{service}/{method}</c> as OpenTelemetry's RPC conventions do, once ASP.NET Core has named it after its route.</summary>
    public static void NameSpan(System.Diagnostics.Activity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        if (activity.GetTagItem("rpc.service") is string service && activity.GetTagItem("rpc.method") is string method)
        {
            activity.DisplayName = $"{service}/{method}";
        }
    }

    public static void Add(ServerCallContext context, string service, string method, StatusCode status)
    {
        ArgumentNullException.ThrowIfNull(context);
        var http = context.GetHttpContext();
        if (http.Features.Get<IHttpActivityFeature>()?.Activity is { IsAllDataRequested: true } activity)
        {
            activity.SetTag("rpc.system", "grpc");
            activity.SetTag("rpc.service", service);
            activity.SetTag("rpc.method", method);
            activity.SetTag("rpc.grpc.status_code", (int)status);
            if (IsServerError(status))
            {
                activity.SetStatus(System.Diagnostics.ActivityStatusCode.Error);
            }
        }
        if (http.Features.Get<IHttpMetricsTagsFeature>() is { MetricsDisabled: false } metrics)
        {
            metrics.Tags.Add(new("rpc.method", method));
            metrics.Tags.Add(new("rpc.service", service));
            metrics.Tags.Add(new("rpc.grpc.status_code", (int)status));
        }
    }

    /// <summary>The statuses OpenTelemetry's gRPC conventions count as the server's own failure; the rest are the caller's.</summary>
    private static bool IsServerError(StatusCode status) => status is StatusCode.Unknown or StatusCode.DeadlineExceeded
        or StatusCode.Unimplemented or StatusCode.Internal or StatusCode.Unavailable or StatusCode.DataLoss;
}
