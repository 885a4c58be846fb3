using AlkPlatform.Testing.Otlp.Collector.Logs;

namespace AlkPlatform.Testing.Otlp;

/// <summary>A log record as it arrived, with its resource's attributes.</summary>
public sealed record ReceivedLog(LogRecord Record, IReadOnlyDictionary<string, string> Resource)
{
    public string Body => OtlpReceiver.Text(Record.Body);

    public IReadOnlyDictionary<string, string> Attributes { get; } = OtlpReceiver.Flatten(Record.Attributes);
}
