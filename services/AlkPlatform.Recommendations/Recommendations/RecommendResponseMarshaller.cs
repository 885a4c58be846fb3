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
    /// <summary>
    /// Per release (keyed by its shared provenance message, weakly, so a replaced release can be collected): its shared
    /// messages' bytes, by reference. One table lookup per response, then plain dictionary reads per card.
    /// </summary>
    private static readonly ConditionalWeakTable<ReleaseProvenance, Dictionary<IMessage, byte[]>> Preserialized = [];

    public static Marshaller<RecommendResponse> Instance { get; } =
        Marshallers.Create(Serialize, context => RecommendResponse.Parser.ParseFrom(context.PayloadAsReadOnlySequence()));

    /// <summary>
    /// Serialises a release's provenance and the messages its responses share (cards), which are never mutated afterwards.
    /// </summary>
    public static void Register(ReleaseProvenance provenance, IEnumerable<IMessage> shared)
    {
        var bytes = new Dictionary<IMessage, byte[]>(ReferenceEqualityComparer.Instance) { [provenance] = provenance.ToByteArray() };
        foreach (var message in shared)
        {
            bytes[message] = message.ToByteArray();
        }
        Preserialized.AddOrUpdate(provenance, bytes);
    }

    private static Dictionary<IMessage, byte[]>? SharedOf(RecommendResponse response) =>
        response.Release is { } release && Preserialized.TryGetValue(release, out var shared) ? shared : null;

    /// <summary>
    /// Writes the whole message into one span: Kestrel's HTTP/2 output takes a lock on every GetSpan/Advance, so the
    /// response is assembled in a single contiguous buffer (the output's own when it offers one that large, else a
    /// pooled one copied in with one Write) rather than field by field.
    /// </summary>
    public static void Serialize(RecommendResponse response, SerializationContext context)
    {
        var shared = SharedOf(response);
        var size = CalculateSize(response, shared);
        context.SetPayloadLength(size);
        WriteTo(response, context.GetBufferWriter(), size, shared);
        context.Complete();
    }

    public static int CalculateSize(RecommendResponse response) => CalculateSize(response, SharedOf(response));

    private static int CalculateSize(RecommendResponse response, Dictionary<IMessage, byte[]>? shared)
    {
        var size = 0;
        if (response.EvaluationId.Length != 0)
        {
            size += 1 + CodedOutputStream.ComputeStringSize(response.EvaluationId);
        }
        foreach (var card in response.Cards)
        {
            size += 1 + EmbeddedSize(shared, card);
        }
        foreach (var missing in response.MissingFacts)
        {
            size += 1 + CodedOutputStream.ComputeMessageSize(missing);
        }
        if (response.Release is { } release)
        {
            size += 1 + EmbeddedSize(shared, release);
        }
        foreach (var firing in response.Explanation)
        {
            size += 1 + EmbeddedSize(shared, firing);
        }
        return size;
    }

    /// <summary>Fields in field-number order, as the generated code writes them.</summary>
    public static void WriteTo(RecommendResponse response, IBufferWriter<byte> output)
    {
        var shared = SharedOf(response);
        WriteTo(response, output, CalculateSize(response, shared), shared);
    }

    private static void WriteTo(RecommendResponse response, IBufferWriter<byte> output, int size, Dictionary<IMessage, byte[]>? shared)
    {
        var span = output.GetSpan(size);
        if (span.Length >= size)
        {
            WriteTo(response, span[..size], shared);
            output.Advance(size);
            return;
        }
        var rented = ArrayPool<byte>.Shared.Rent(size);
        try
        {
            WriteTo(response, rented.AsSpan(0, size), shared);
            output.Write(rented.AsSpan(0, size));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Writes the message into <paramref name="destination"/>, which is exactly <see cref="CalculateSize"/> long.</summary>
    private static void WriteTo(RecommendResponse response, Span<byte> destination, Dictionary<IMessage, byte[]>? shared)
    {
        var position = 0;
        if (response.EvaluationId.Length != 0)
        {
            WriteTag(destination, ref position, RecommendResponse.EvaluationIdFieldNumber);
            var length = Encoding.UTF8.GetByteCount(response.EvaluationId);
            WriteVarint(destination, ref position, (uint)length);
            position += Encoding.UTF8.GetBytes(response.EvaluationId, destination[position..]);
        }
        foreach (var card in response.Cards)
        {
            WriteEmbedded(destination, ref position, RecommendResponse.CardsFieldNumber, shared, card);
        }
        foreach (var missing in response.MissingFacts)
        {
            WriteEmbedded(destination, ref position, RecommendResponse.MissingFactsFieldNumber, null, missing);
        }
        if (response.Release is { } release)
        {
            WriteEmbedded(destination, ref position, RecommendResponse.ReleaseFieldNumber, shared, release);
        }
        foreach (var firing in response.Explanation)
        {
            WriteEmbedded(destination, ref position, RecommendResponse.ExplanationFieldNumber, shared, firing);
        }
        if (position != destination.Length)
        {
            throw new InvalidOperationException($"RecommendResponse wrote {position} bytes, {destination.Length} expected.");
        }
    }

    private static int EmbeddedSize(Dictionary<IMessage, byte[]>? shared, IMessage message) =>
        shared is not null && shared.TryGetValue(message, out var bytes)
            ? CodedOutputStream.ComputeLengthSize(bytes.Length) + bytes.Length
            : CodedOutputStream.ComputeMessageSize(message);

    private static void WriteEmbedded(Span<byte> destination, ref int position, int fieldNumber, Dictionary<IMessage, byte[]>? shared, IMessage message)
    {
        WriteTag(destination, ref position, fieldNumber);
        if (shared is not null && shared.TryGetValue(message, out var bytes))
        {
            WriteVarint(destination, ref position, (uint)bytes.Length);
            bytes.CopyTo(destination[position..]);
            position += bytes.Length;
            return;
        }
        var length = message.CalculateSize();
        WriteVarint(destination, ref position, (uint)length);
        message.WriteTo(destination.Slice(position, length));
        position += length;
    }

    private static void WriteTag(Span<byte> destination, ref int position, int fieldNumber) =>
        WriteVarint(destination, ref position, WireFormat.MakeTag(fieldNumber, WireFormat.WireType.LengthDelimited));

    private static void WriteVarint(Span<byte> destination, ref int position, uint value)
    {
        while (value > 0x7F)
        {
            destination[position++] = (byte)((value & 0x7F) | 0x80);
            value >>= 7;
        }
        destination[position++] = (byte)value;
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
