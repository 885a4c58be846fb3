using System.Globalization;
using AlkPlatform.Contracts.Ops.V1;
using AlkPlatform.Contracts.Recommendation.V1;
using Google.Protobuf.WellKnownTypes;

namespace AlkPlatform.Portal.Pages.Ops;

/// <summary>
/// The evaluation-log filter as the pages' GET forms send it (times are UTC, latencies in milliseconds), and its
/// translation into the ops API's <see cref="EvaluationLogFilter"/>.
/// </summary>
public sealed class LogFilterForm
{
    public const string TimeFormat = "yyyy-MM-ddTHH:mm";

    public static IReadOnlyList<(string Value, string Label)> Severities { get; } =
        [("", "(any)"), ("info", "Info"), ("warning", "Warning"), ("critical", "Critical")];

    public static IReadOnlyList<(string Value, string Label)> Statuses { get; } =
    [
        ("", "(any)"), ("ok", "OK"), ("errors", "Errors (not OK)"), ("3", "InvalidArgument (3)"), ("5", "NotFound (5)"),
        ("8", "ResourceExhausted (8)"), ("9", "FailedPrecondition (9)"), ("13", "Internal (13)"), ("14", "Unavailable (14)"),
    ];

    public static IReadOnlyList<(string Value, string Label)> Methods { get; } =
        [("", "(any)"), ("recommend", "Recommend"), ("ask", "Ask"), ("get-guideline", "GetGuideline")];

    public string? From { get; set; }
    public string? To { get; set; }
    public string? Caller { get; set; }
    public string? Guideline { get; set; }
    public string? Release { get; set; }
    public string? Card { get; set; }
    public string? Severity { get; set; }
    public string? Status { get; set; }
    public string? Method { get; set; }
    public double? MinLatencyMs { get; set; }
    public double? MaxLatencyMs { get; set; }

    public DateTimeOffset? FromTime => ParseTime(From);
    public DateTimeOffset? ToTime => ParseTime(To);

    /// <summary>The filter, or the problems that make it unusable (each names the field as the form labels it).</summary>
    public EvaluationLogFilter ToFilter(ICollection<string> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        var filter = new EvaluationLogFilter
        {
            Caller = Clean(Caller),
            GuidelineId = Clean(Guideline),
            ReleaseId = Clean(Release),
            CardId = Clean(Card),
        };
        if (!string.IsNullOrWhiteSpace(From))
        {
            if (FromTime is { } from) { filter.From = Timestamp.FromDateTimeOffset(from); } else { problems.Add("From: enter a date and time (UTC)."); }
        }
        if (!string.IsNullOrWhiteSpace(To))
        {
            if (ToTime is { } to) { filter.To = Timestamp.FromDateTimeOffset(to); } else { problems.Add("To: enter a date and time (UTC)."); }
        }
        if (FromTime is { } f && ToTime is { } t && t <= f)
        {
            problems.Add("To must be later than From.");
        }
        filter.Severity = Severity switch
        {
            "info" => Contracts.Recommendation.V1.Severity.Info,
            "warning" => Contracts.Recommendation.V1.Severity.Warning,
            "critical" => Contracts.Recommendation.V1.Severity.Critical,
            _ => Contracts.Recommendation.V1.Severity.Unspecified,
        };
        filter.Method = Method switch
        {
            "recommend" => EvaluationMethod.Recommend,
            "ask" => EvaluationMethod.Ask,
            "get-guideline" => EvaluationMethod.GetGuideline,
            _ => EvaluationMethod.Unspecified,
        };
        switch (Status)
        {
            case null or "":
                break;
            case "ok":
                filter.StatusCode = 0;
                break;
            case "errors":
                filter.ErrorsOnly = true;
                break;
            default:
                if (int.TryParse(Status, NumberStyles.None, CultureInfo.InvariantCulture, out var code) && code is > 0 and <= 16)
                {
                    filter.StatusCode = code;
                }
                else
                {
                    problems.Add("Status: choose a status from the list.");
                }
                break;
        }
        if (MinLatencyMs is { } min)
        {
            if (min < 0) { problems.Add("Minimum latency cannot be negative."); } else { filter.MinLatencyUs = (long)Math.Round(min * 1000); }
        }
        if (MaxLatencyMs is { } max)
        {
            if (max < 0) { problems.Add("Maximum latency cannot be negative."); } else { filter.MaxLatencyUs = (long)Math.Round(max * 1000); }
        }
        if (MinLatencyMs > MaxLatencyMs)
        {
            problems.Add("Minimum latency must not exceed maximum latency.");
        }
        return filter;
    }

    /// <summary>The filled-in fields as query values, so links (next page, charts, export) keep the filter.</summary>
    public Dictionary<string, string> ToQuery()
    {
        var query = new Dictionary<string, string>(StringComparer.Ordinal);
        void Add(string name, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                query[name] = value.Trim();
            }
        }
        Add("from", From);
        Add("to", To);
        Add("caller", Caller);
        Add("guideline", Guideline);
        Add("release", Release);
        Add("card", Card);
        Add("severity", Severity);
        Add("status", Status);
        Add("method", Method);
        Add("minLatencyMs", MinLatencyMs?.ToString(CultureInfo.InvariantCulture));
        Add("maxLatencyMs", MaxLatencyMs?.ToString(CultureInfo.InvariantCulture));
        return query;
    }

    public static string FormatTime(DateTimeOffset time) => time.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);

    public static DateTimeOffset? ParseTime(string? value) =>
        DateTime.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed)
            ? new DateTimeOffset(parsed, TimeSpan.Zero)
            : null;

    private static string Clean(string? value) => value?.Trim() ?? "";
}
