using AlkPlatform.Contracts.Ops.V1;
using AlkPlatform.Portal.Ops;
using Google.Protobuf.WellKnownTypes;
using Microsoft.AspNetCore.Mvc;

namespace AlkPlatform.Portal.Pages.Ops;

/// <summary>Volume, errors, latency percentiles and override rates over a time range, drawn as server-side SVG.</summary>
public sealed class ChartsModel(RecommendationServiceConnection service, TimeProvider clock) : OpsPage(service)
{
    /// <summary>Aggregates scan every record in the range (about 2 s per day at 10 M records/month), so ranges are capped.</summary>
    public static readonly TimeSpan MaxRange = TimeSpan.FromDays(7);

    /// <summary>Percentiles and override rates are computed per slice of the range, one call each.</summary>
    public const int Slices = 12;

    private const int MaxBars = 120;

    [BindProperty(SupportsGet = true)]
    public LogFilterForm Filter { get; set; } = new();

    public List<string> FilterProblems { get; } = [];

    public DateTimeOffset RangeFrom { get; private set; }
    public DateTimeOffset RangeTo { get; private set; }
    public TimeSpan BarWidth { get; private set; }

    public GetEvaluationLogAggregatesResponse? Totals { get; private set; }
    public IReadOnlyList<ChartBar> Volume { get; private set; } = [];
    public IReadOnlyList<ChartPoint> ErrorRate { get; private set; } = [];
    public IReadOnlyList<ChartSeries> Latency { get; private set; } = [];
    public IReadOnlyList<ChartPoint> OverrideRate { get; private set; } = [];
    public GetFeedbackSummaryResponse? Feedback { get; private set; }

    public async Task OnGetAsync()
    {
        var now = clock.GetUtcNow();
        // Default: the last hour, ending at the next whole minute so the current minute is included.
        var end = Filter.ToTime ?? new DateTimeOffset(now.Ticks - now.Ticks % TimeSpan.TicksPerMinute, TimeSpan.Zero).AddMinutes(1);
        var start = Filter.FromTime ?? end.AddHours(-1);
        Filter.From = LogFilterForm.FormatTime(start);
        Filter.To = LogFilterForm.FormatTime(end);
        var filter = Filter.ToFilter(FilterProblems);
        if (end - start > MaxRange)
        {
            FilterProblems.Add($"Choose at most {MaxRange.TotalDays:0} days: the charts read every record in the range.");
        }
        if (FilterProblems.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return;
        }
        (RangeFrom, RangeTo) = (start, end);

        Totals = await AggregatesAsync(filter, 10);
        if (Totals is null)
        {
            return;
        }
        BarWidth = TimeSpan.FromMinutes(Math.Max(1, Math.Ceiling((end - start).TotalMinutes / MaxBars)));
        Volume = BucketVolume(Totals.PerMinute, start, end, BarWidth);
        ErrorRate = [.. Volume.Select(b => new ChartPoint(b.Start, b.Total == 0 ? double.NaN : b.Part / b.Total))];

        var slice = (end - start) / Slices;
        var p50 = new List<ChartPoint>();
        var p95 = new List<ChartPoint>();
        var p99 = new List<ChartPoint>();
        var overrides = new List<ChartPoint>();
        for (var i = 0; i < Slices && ServiceProblem is null; i++)
        {
            var (sliceFrom, sliceTo) = (start + slice * i, i == Slices - 1 ? end : start + slice * (i + 1));
            var sliceFilter = filter.Clone();
            sliceFilter.From = Timestamp.FromDateTimeOffset(sliceFrom);
            sliceFilter.To = Timestamp.FromDateTimeOffset(sliceTo);
            var part = await AggregatesAsync(sliceFilter, 1);
            var latency = part is { Total: > 0 } ? part.Latency : null;
            p50.Add(new ChartPoint(sliceFrom, latency?.P50Us ?? double.NaN));
            p95.Add(new ChartPoint(sliceFrom, latency?.P95Us ?? double.NaN));
            p99.Add(new ChartPoint(sliceFrom, latency?.P99Us ?? double.NaN));
            var feedback = await FeedbackAsync(FeedbackRequest(sliceFrom, sliceTo));
            overrides.Add(new ChartPoint(sliceFrom, feedback is null ? double.NaN : OverallOverrideRate(feedback)));
        }
        Latency = [new("p50", "chart-s1", p50), new("p95", "chart-s2", p95), new("p99", "chart-s3", p99)];
        OverrideRate = overrides;
        Feedback = await FeedbackAsync(FeedbackRequest(start, end));
    }

    /// <summary>Every replica's aggregates over <paramref name="filter"/>, summed (latency: the highest replica's percentiles).</summary>
    private async Task<GetEvaluationLogAggregatesResponse?> AggregatesAsync(EvaluationLogFilter filter, int top)
    {
        var request = new GetEvaluationLogAggregatesRequest { Filter = filter, Top = top };
        var parts = await CallEachAsync(async replica => await replica.EvaluationLogs.GetEvaluationLogAggregatesAsync(request, Unary));
        return parts is null ? null : EvaluationLogMerge.Aggregates([.. parts.Select(p => p.Value)], top);
    }

    private async Task<GetFeedbackSummaryResponse?> FeedbackAsync(GetFeedbackSummaryRequest request)
    {
        var parts = await CallEachAsync(async replica => await replica.EvaluationLogs.GetFeedbackSummaryAsync(request, Unary));
        return parts is null ? null : EvaluationLogMerge.Feedback([.. parts.Select(p => p.Value)]);
    }

    /// <summary>Per-minute counts summed into bars of <paramref name="width"/>, one per slot of the range, empty slots included.</summary>
    public static IReadOnlyList<ChartBar> BucketVolume(IEnumerable<MinuteVolume> minutes, DateTimeOffset start, DateTimeOffset end, TimeSpan width)
    {
        ArgumentNullException.ThrowIfNull(minutes);
        var slots = new (long Count, long Errors)[(int)Math.Ceiling((end - start) / width)];
        foreach (var minute in minutes)
        {
            var slot = (int)Math.Floor((minute.Minute.ToDateTimeOffset() - start) / width);
            if (slot >= 0 && slot < slots.Length)
            {
                slots[slot] = (slots[slot].Count + minute.Count, slots[slot].Errors + minute.ErrorCount);
            }
        }
        return [.. slots.Select((s, i) => new ChartBar(start + width * i, s.Count, s.Errors))];
    }

    /// <summary>Overridden over all feedback in the slice; NaN when nobody gave feedback.</summary>
    public static double OverallOverrideRate(GetFeedbackSummaryResponse feedback)
    {
        ArgumentNullException.ThrowIfNull(feedback);
        var overridden = feedback.ByRule.Sum(r => r.Overridden);
        var all = overridden + feedback.ByRule.Sum(r => r.Accepted);
        return all == 0 ? double.NaN : (double)overridden / all;
    }

    private GetFeedbackSummaryRequest FeedbackRequest(DateTimeOffset from, DateTimeOffset to) => new()
    {
        From = Timestamp.FromDateTimeOffset(from),
        To = Timestamp.FromDateTimeOffset(to),
        GuidelineId = Filter.Guideline?.Trim() ?? "",
        ReleaseId = Filter.Release?.Trim() ?? "",
    };
}
