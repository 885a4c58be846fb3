using System.Security.Cryptography;
using System.Text;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Options;

namespace AlkPlatform.Recommendations.EvaluationLogs;

/// <summary>
/// The ops API answers only callers holding the shared ops key (the portal, for its Ops role). With no key configured
/// the ops API refuses everything, so a deployment cannot expose the log by forgetting a setting.
/// </summary>
public sealed class OpsApiKeyInterceptor(IOptions<EvaluationLogOptions> options) : Interceptor
{
    public const string Header = "x-ops-api-key";

    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Authorize(context);
        return continuation(request, context);
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authorize(context);
        return continuation(request, responseStream, context);
    }

    private void Authorize(ServerCallContext context)
    {
        var expected = options.Value.OpsApiKey;
        if (string.IsNullOrEmpty(expected))
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, "The ops API is disabled: EvaluationLogs:OpsApiKey is not configured."));
        }
        var given = context.RequestHeaders.GetValue(Header);
        if (string.IsNullOrEmpty(given))
        {
            throw new RpcException(new Status(StatusCode.Unauthenticated, $"The ops API requires the {Header} header."));
        }
        // Compare digests so the comparison takes the same time whatever the key's length.
        if (!CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(expected))))
        {
            throw new RpcException(new Status(StatusCode.Unauthenticated, $"The {Header} header does not hold the ops key."));
        }
    }
}
