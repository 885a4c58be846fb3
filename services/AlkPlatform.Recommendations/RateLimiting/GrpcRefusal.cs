using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;

namespace AlkPlatform.Recommendations.RateLimiting;

/// <summary>
/// Answers an HTTP request that never reaches gRPC with a gRPC status anyway (a trailers-only response), details
/// included in <c>grpc-status-details-bin</c>, so clients see the same refusal a handler would throw.
/// </summary>
public static class GrpcRefusal
{
    /// <summary>ResourceExhausted with a <c>google.rpc.RetryInfo</c> saying when to try again.</summary>
    public static void WriteResourceExhausted(HttpContext context, string message, TimeSpan retryAfter)
    {
        ArgumentNullException.ThrowIfNull(context);
        var status = new Google.Rpc.Status
        {
            Code = (int)Code.ResourceExhausted,
            Message = message,
            Details = { Any.Pack(new RetryInfo { RetryDelay = Duration.FromTimeSpan(retryAfter) }) },
        };
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/grpc";
        response.Headers["grpc-status"] = status.Code.ToString(System.Globalization.CultureInfo.InvariantCulture);
        // grpc-message is percent-encoded on the wire; the messages here are plain ASCII without '%'.
        response.Headers["grpc-message"] = message;
        response.Headers["grpc-status-details-bin"] = Convert.ToBase64String(status.ToByteArray());
    }
}
