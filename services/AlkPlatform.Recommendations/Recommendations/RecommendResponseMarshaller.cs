using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;
using AlkPlatform.Contracts.Recommendation.V1;
using Google.Protobuf;
using Grpc.Core;

namespace AlkPlatform.Recommendations.Recommendations;

/// <summary>
/// Writes a <see cref="RecommendResponse"/> byte for byte as protobuf would, but copies the cards and the release
/// provenance from bytes serialised once per release instead of re-encoding kilobytes of shared, immutable text per call.
/// The response object handed back by the handler stays complete, so nothing else (interceptors, logs) sees a difference.
/// </summary>
public static class RecommendResponseMarshaller
{
    private static readonly ConditionalWeakTable<IMessage, byte[]> Preserialized = [];

    public static Marshaller<RecommendResponse> Instance { get; } =
        Marshallers.Create(Serialize, context => RecommendResponse.Parser.ParseFrom(context.PayloadAsReadOnlySequence()));

    /// <summary>Serialises a message that is shared across responses and never mutated afterwards.</summary>
    public static void Register(IMessage message) => Preserialized.AddOrUpdate(message, message.ToByteArray());

    public static void Serialize(RecommendResponse response, SerializationContext context)
    {
        context.SetPayloadLength(CalculateSize(response));
        var output = context.GetBufferWriter();
        WriteTo(response, output);
        context.Complete();
    }

    public static int CalculateSize(RecommendResponse response)
    {
        var size = 0;
        if (response.EvaluationId.Length != 0)
        {
            size += 1 + CodedOutputStream.ComputeStringSize(response.EvaluationId);
        }
        foreach (var card in response.Cards)
        {
            size += 1 + EmbeddedSize(card);
        }
        foreach (var missing in response.MissingFacts)
        {
            size += 1 + CodedOutputStream.ComputeMessageSize(missing);
        }
        if (response.Release is { } release)
        {
            size += 1 + EmbeddedSize(release);
        }
        foreach (var firing in response.Explanation)
        {
            size += 1 + CodedOutputStream.ComputeMessageSize(firing);
        }
        return size;
    }

    /// <summary>Fields in field-number order, as the generated code writes them.</summary>
    public static void WriteTo(RecommendResponse response, IBufferWriter<byte> output)
    {
        if (response.EvaluationId.Length != 0)
        {
            WriteTag(output, RecommendResponse.EvaluationIdFieldNumber);
            var length = Encoding.UTF8.GetByteCount(response.EvaluationId);
            WriteVarint(output, (uint)length);
            var span = output.GetSpan(length);
            Encoding.UTF8.GetBytes(response.EvaluationId, span);
            output.Advance(length);
        }
        foreach (var card in response.Cards)
        {
            WriteEmbedded(output, RecommendResponse.CardsFieldNumber, card);
        }
        foreach (var missing in response.MissingFacts)
        {
            WriteEmbedded(output, RecommendResponse.MissingFactsFieldNumber, missing);
        }
        if (response.Release is { } release)
        {
            WriteEmbedded(output, RecommendResponse.ReleaseFieldNumber, release);
        }
        foreach (var firing in response.Explanation)
        {
            WriteEmbedded(output, RecommendResponse.ExplanationFieldNumber, firing);
        }
    }

    private static int EmbeddedSize(IMessage message) =>
        Preserialized.TryGetValue(message, out var bytes)
            ? CodedOutputStream.ComputeLengthSize(bytes.Length) + bytes.Length
            : CodedOutputStream.ComputeMessageSize(message);

    private static void WriteEmbedded(IBufferWriter<byte> output, int fieldNumber, IMessage message)
    {
        WriteTag(output, fieldNumber);
        if (Preserialized.TryGetValue(message, out var bytes))
        {
            WriteVarint(output, (uint)bytes.Length);
            output.Write(bytes);
            return;
        }
        WriteVarint(output, (uint)message.CalculateSize());
        message.WriteTo(output);
    }

    private static void WriteTag(IBufferWriter<byte> output, int fieldNumber) =>
        WriteVarint(output, WireFormat.MakeTag(fieldNumber, WireFormat.WireType.LengthDelimited));

    private static void WriteVarint(IBufferWriter<byte> output, uint value)
    {
        var span = output.GetSpan(5);
        var i = 0;
        while (value > 0x7F)
        {
            span[i++] = (byte)((value & 0x7F) | 0x80);
            value >>= 7;
        }
        span[i++] = (byte)value;
        output.Advance(i);
    }
}

/// <summary>
/// Binds the generated service methods unchanged, except that Recommend's response uses
/// <see cref="RecommendResponseMarshaller"/>. Found by gRPC through <see cref="BindServiceMethodAttribute"/> on the service.
/// </summary>
public sealed class RecommendationServiceBinder(ServiceBinderBase inner) : ServiceBinderBase
{
    /// <summary>The second parameter must be the generated base type: gRPC resolves handlers as overrides of it.</summary>
    public static void BindService(ServiceBinderBase binder, RecommendationService.RecommendationServiceBase service) =>
        RecommendationService.BindService(new RecommendationServiceBinder(binder), service);

    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler)
    {
        if (typeof(TResponse) == typeof(RecommendResponse))
        {
            method = new Method<TRequest, TResponse>(method.Type, method.ServiceName, method.Name, method.RequestMarshaller,
                (Marshaller<TResponse>)(object)RecommendResponseMarshaller.Instance);
        }
        inner.AddMethod(method, handler);
    }

    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse>? handler) =>
        inner.AddMethod(method, handler);

    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse>? handler) =>
        inner.AddMethod(method, handler);

    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse>? handler) =>
        inner.AddMethod(method, handler);
}
