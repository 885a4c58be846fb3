using System.Collections.Concurrent;
using AlkPlatform.EchoServer.V1;
using Google.Protobuf;
using Grpc.Core;

namespace AlkPlatform.EchoServer;

/// <summary>
/// Returns the request's payload (the response is as small as the request), or a payload of the requested size, built
/// once per size so the call does no work beyond moving the bytes.
/// </summary>
public sealed class EchoApi : EchoService.EchoServiceBase
{
    private const int MaxResponseBytes = 4 << 20;
    private static readonly ConcurrentDictionary<int, EchoResponse> Sized = new();

    public override Task<EchoResponse> Echo(EchoRequest request, ServerCallContext context)
    {
        if (request.ResponseBytes <= 0)
        {
            return Task.FromResult(new EchoResponse { Payload = request.Payload });
        }
        if (request.ResponseBytes > MaxResponseBytes)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"response_bytes must be at most {MaxResponseBytes}; got {request.ResponseBytes}"));
        }
        return Task.FromResult(Sized.GetOrAdd(request.ResponseBytes, static size =>
            new EchoResponse { Payload = ByteString.CopyFrom(new byte[PayloadLength(size)]) }));
    }

    /// <summary>The payload length that makes the serialised response exactly <paramref name="size"/> bytes.</summary>
    private static int PayloadLength(int size)
    {
        for (var length = Math.Max(0, size - 6); length <= size; length++)
        {
            if (1 + CodedOutputStream.ComputeLengthSize(length) + length == size)
            {
                return length;
            }
        }
        return Math.Max(0, size - 3);
    }
}
