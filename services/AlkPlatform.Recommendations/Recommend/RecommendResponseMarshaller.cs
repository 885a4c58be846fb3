using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;
using AlkPlatform.Contracts.Recommendation.V1;
using Google.Protobuf;
using Grpc.Core;

namespace AlkPlatform.Recommendations.Recommend;

/// <summary>
/// Writes a <see cref="RecommendResponse"/> byte for byte as protobuf would, but copies the cards, the prepared explanations
/// and the release provenance from bytes serialised once per release instead of re-encoding kilobytes of shared, immutable text per call.
/// The response object handed back by the handler stays complete, so nothing else (interceptors, logs) sees a difference.
/// </summary>
public static class RecommendResponseMarshaller
{
    /// <summary>
    /// Per release (keyed by its shared provenance message, weakly, so a replaced release can be collected): its shared
    /// messages' bytes, by reference. One table lookup per response, then one dictionary read per shared message.
    /// </summary>
    private static readonly ConditionalWeakTable<ReleaseProvenance, Dictionary<IMessage, byte[]>> Preserialized = [];

    public static Marshaller<RecommendResponse> Instance { get; } =
        Marshallers.Create(Serialize, context => RecommendResponse.Parser.ParseFrom(context.PayloadAsReadOnlySequence()));

    /// <summary>
    /// Serialises a release's provenance and the messages its responses share (cards, prepared explanations), which are never mutated afterwards.
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
        var plan = Plan.For(response);
        try
        {
            context.SetPayloadLength(plan.Size);
            WriteTo(response, context.GetBufferWriter(), plan);
            context.Complete();
        }
        finally
        {
            plan.Clear();
        }
    }

    public static int CalculateSize(RecommendResponse response)
    {
        var plan = Plan.For(response);
        try
        {
            return plan.Size;
        }
        finally
        {
            plan.Clear();
        }
    }

    public static void WriteTo(RecommendResponse response, IBufferWriter<byte> output)
    {
        var plan = Plan.For(response);
        try
        {
            WriteTo(response, output, plan);
        }
        finally
        {
            plan.Clear();
        }
    }

    private static void WriteTo(RecommendResponse response, IBufferWriter<byte> output, Plan plan)
    {
        var size = plan.Size;
        var span = output.GetSpan(size);
        if (span.Length >= size)
        {
            plan.WriteTo(response, span[..size]);
            output.Advance(size);
            return;
        }
        var rented = ArrayPool<byte>.Shared.Rent(size);
        try
        {
            plan.WriteTo(response, rented.AsSpan(0, size));
            output.Write(rented.AsSpan(0, size));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// One response's layout: for every embedded message, in field order, its prepared bytes or its own size. Each
    /// shared message is looked up once and each other message sized once, for both the length and the write. One per
    /// thread, reused (serialisation is synchronous), and cleared after each response so it holds no message.
    /// </summary>
    private sealed class Plan
    {
        [ThreadStatic]
        private static Plan? t_plan;

        private (IMessage Message, byte[]? Bytes, int Length)[] _parts = new (IMessage, byte[]?, int)[32];
        private int _count;

        public int Size { get; private set; }

        public static Plan For(RecommendResponse response)
        {
            var plan = t_plan ??= new Plan();
            try
            {
                plan.Build(response, SharedOf(response));
            }
            catch
            {
                plan.Clear();
                throw;
            }
            return plan;
        }

        private void Build(RecommendResponse response, Dictionary<IMessage, byte[]>? shared)
        {
            _count = 0;
            var size = response.EvaluationId.Length == 0 ? 0 : 1 + CodedOutputStream.ComputeStringSize(response.EvaluationId);
            var cards = response.Cards;
            for (var i = 0; i < cards.Count; i++)
            {
                size += Add(shared, cards[i]);
            }
            var missing = response.MissingFacts;
            for (var i = 0; i < missing.Count; i++)
            {
                size += Add(null, missing[i]);
            }
            if (response.Release is { } release)
            {
                size += Add(shared, release);
            }
            var explanation = response.Explanation;
            for (var i = 0; i < explanation.Count; i++)
            {
                size += Add(shared, explanation[i]);
            }
            Size = size;
        }

        /// <summary>Records the message and returns its size as a field (tag, length, body).</summary>
        private int Add(Dictionary<IMessage, byte[]>? shared, IMessage message)
        {
            byte[]? bytes = null;
            var length = shared is not null && shared.TryGetValue(message, out bytes) ? bytes.Length : message.CalculateSize();
            if (_count == _parts.Length)
            {
                Array.Resize(ref _parts, _parts.Length * 2);
            }
            _parts[_count++] = (message, bytes, length);
            return 1 + CodedOutputStream.ComputeLengthSize(length) + length;
        }

        /// <summary>Fields in field-number order, as the generated code writes them, into a span exactly <see cref="Size"/> long.</summary>
        public void WriteTo(RecommendResponse response, Span<byte> destination)
        {
            var position = 0;
            if (response.EvaluationId.Length != 0)
            {
                WriteTag(destination, ref position, RecommendResponse.EvaluationIdFieldNumber);
                var length = Encoding.UTF8.GetByteCount(response.EvaluationId);
                WriteVarint(destination, ref position, (uint)length);
                position += Encoding.UTF8.GetBytes(response.EvaluationId, destination[position..]);
            }
            // The parts were recorded in this same order: cards, missing facts, release, explanation.
            var part = 0;
            for (var i = 0; i < response.Cards.Count; i++)
            {
                Write(destination, ref position, RecommendResponse.CardsFieldNumber, _parts[part++]);
            }
            for (var i = 0; i < response.MissingFacts.Count; i++)
            {
                Write(destination, ref position, RecommendResponse.MissingFactsFieldNumber, _parts[part++]);
            }
            if (response.Release is not null)
            {
                Write(destination, ref position, RecommendResponse.ReleaseFieldNumber, _parts[part++]);
            }
            for (var i = 0; i < response.Explanation.Count; i++)
            {
                Write(destination, ref position, RecommendResponse.ExplanationFieldNumber, _parts[part++]);
            }
            if (position != destination.Length || part != _count)
            {
                throw new InvalidOperationException($"RecommendResponse wrote {position} bytes, {destination.Length} expected.");
            }
        }

        public void Clear()
        {
            Array.Clear(_parts, 0, _count);
            _count = 0;
        }

        private static void Write(Span<byte> destination, ref int position, int fieldNumber, (IMessage Message, byte[]? Bytes, int Length) part)
        {
            WriteTag(destination, ref position, fieldNumber);
            WriteVarint(destination, ref position, (uint)part.Length);
            if (part.Bytes is { } bytes)
            {
                bytes.CopyTo(destination[position..]);
            }
            else
            {
                part.Message.WriteTo(destination.Slice(position, part.Length));
            }
            position += part.Length;
        }
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
