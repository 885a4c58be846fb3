using OpenTelemetry;
using OpenTelemetry.Logs;

namespace AlkPlatform.Telemetry;

/// <summary>Runs on every log record before export: masks credentials in its message, its template and its string attributes.</summary>
public sealed class SensitiveLogFilter : BaseProcessor<LogRecord>
{
    public override void OnEnd(LogRecord data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.FormattedMessage is { } message)
        {
            data.FormattedMessage = SensitiveData.MaskCredentials(message);
        }
        if (data.Body is { } body)
        {
            data.Body = SensitiveData.MaskCredentials(body);
        }
        if (data.Attributes is { Count: > 0 } attributes && attributes.Any(a => a.Value is string s && !ReferenceEquals(SensitiveData.MaskCredentials(s), s)))
        {
            data.Attributes = [.. attributes.Select(a => a.Value is string s ? new KeyValuePair<string, object?>(a.Key, SensitiveData.MaskCredentials(s)) : a)];
        }
    }
}
