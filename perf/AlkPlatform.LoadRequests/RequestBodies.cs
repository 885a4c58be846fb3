using System.Buffers.Binary;
using AlkPlatform.Contracts.Recommendation.V1;
using AlkPlatform.EchoServer.V1;
using AlkPlatform.Testing;
using Google.Protobuf;

namespace AlkPlatform.LoadRequests;

/// <summary>The calls the load benchmark makes, built from the generated messages so they follow the contract.</summary>
public static class RequestBodies
{
    public static string RecommendPath { get; } =
        $"/{RecommendationService.Descriptor.FullName}/{nameof(RecommendationService.RecommendationServiceBase.Recommend)}";

    public static string EchoPath { get; } = $"/{EchoService.Descriptor.FullName}/{nameof(EchoService.EchoServiceBase.Echo)}";

    /// <summary>README's patient: relapsed/refractory, no CNS disease, 70 kg, for a clinician.</summary>
    public static RecommendRequest Recommend() => ReferencePatients.RelapsedRefractory70Kg;

    /// <summary>
    /// The echo carrying <paramref name="payload"/>; with <paramref name="responseBytes"/> &gt; 0 the echo answers with
    /// that many bytes instead (the sized echo).
    /// </summary>
    public static EchoRequest Echo(IMessage payload, int responseBytes = 0) =>
        new() { Payload = payload.ToByteString(), ResponseBytes = responseBytes };

    /// <summary>A unary gRPC body as h2load sends it: uncompressed flag, 4-byte big-endian length, the message.</summary>
    public static byte[] Frame(IMessage message)
    {
        var size = message.CalculateSize();
        var body = new byte[5 + size];
        BinaryPrimitives.WriteInt32BigEndian(body.AsSpan(1, 4), size);
        message.WriteTo(body.AsSpan(5));
        return body;
    }
}
