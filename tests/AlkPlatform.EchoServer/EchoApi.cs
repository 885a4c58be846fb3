using AlkPlatform.EchoServer.V1;
using Grpc.Core;

namespace AlkPlatform.EchoServer;

/// <summary>Returns the request's payload; the response is as small as the request.</summary>
public sealed class EchoApi : EchoService.EchoServiceBase
{
    public override Task<EchoResponse> Echo(EchoRequest request, ServerCallContext context) =>
        Task.FromResult(new EchoResponse { Payload = request.Payload });
}
