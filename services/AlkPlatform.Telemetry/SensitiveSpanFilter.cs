using System.Diagnostics;
using OpenTelemetry;

namespace AlkPlatform.Telemetry;

/// <summary>
/// Runs on every finished span before export: drops request-data tags, cuts query strings from URLs, masks credentials in
/// any string tag, and clears status descriptions (gRPC and exception messages quote what the caller sent).
/// </summary>
public sealed class SensitiveSpanFilter : BaseProcessor<Activity>
{
    public override void OnEnd(Activity data)
    {
        ArgumentNullException.ThrowIfNull(data);
        List<KeyValuePair<string, object?>>? changes = null;
        foreach (var (key, value) in data.TagObjects)
        {
            if (SensitiveData.IsDroppedTag(key))
            {
                (changes ??= []).Add(new(key, null));
            }
            else if (value is string text)
            {
                var safe = key is "url.full" or "http.url" ? SensitiveData.WithoutQuery(text) : text;
                safe = SensitiveData.MaskCredentials(safe);
                if (!ReferenceEquals(safe, text))
                {
                    (changes ??= []).Add(new(key, safe));
                }
            }
        }
        foreach (var (key, value) in changes ?? [])
        {
            data.SetTag(key, value);
        }
        if (data.StatusDescription is not null)
        {
            data.SetStatus(data.Status);
        }
        data.DisplayName = SensitiveData.MaskCredentials(SensitiveData.WithoutQuery(data.DisplayName));
    }
}
