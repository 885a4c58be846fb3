using AlkPlatform.Testing.Otlp.Trace;

namespace AlkPlatform.Testing.Otlp;

/// <summary>A span as it arrived, with its instrumentation scope and its resource's attributes.</summary>
public sealed record ReceivedSpan(Span Span, string Scope, IReadOnlyDictionary<string, string> Resource)
{
    public IReadOnlyDictionary<string, string> Attributes { get; } = OtlpReceiver.Flatten(Span.Attributes);
}
