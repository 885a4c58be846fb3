using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace AlkPlatform.Recommendations.EvaluationLogs;

/// <summary>Why the log could not take a call's record, so its answer was withheld.</summary>
public enum LogRefusalReason
{
    /// <summary>The queue was full: the writer could not keep up (ResourceExhausted).</summary>
    QueueFull,
    /// <summary>The commit failed: disk full, read-only, I/O error (Unavailable).</summary>
    WriteFailed,
    /// <summary>The service was stopping, or the writer had stopped (Unavailable).</summary>
    Stopped,
}

/// <summary>
/// Counts calls whose answer was withheld because the evaluation log could not record it, per caller and reason, since
/// the service started: as the metric <c>alk.evaluation_log.refusals</c> (tags <c>caller</c>, <c>reason</c>) and for the
/// ops API. Such calls have no log row, so this is the only record of them.
/// </summary>
public sealed class LogRefusalCounter
{
    /// <summary>Callers are labels the caller sends: past this many distinct ones, the rest are counted together.</summary>
    public const int MaxCallers = 1000;
    public const string OtherCallers = "(other callers)";

    private readonly ConcurrentDictionary<(string Caller, LogRefusalReason Reason), long> _counts = new();
    private readonly Counter<long> _metric;

    public LogRefusalCounter(Meter meter)
    {
        ArgumentNullException.ThrowIfNull(meter);
        _metric = meter.CreateCounter<long>("alk.evaluation_log.refusals", "{call}",
            "Calls whose answer was withheld because the evaluation log could not take their record, by caller and reason");
    }

    public void Count(string caller, LogRefusalReason reason)
    {
        var key = (caller, reason);
        if (!_counts.ContainsKey(key) && _counts.Count >= MaxCallers)
        {
            key = (OtherCallers, reason);
        }
        _counts.AddOrUpdate(key, 1, static (_, n) => n + 1);
        _metric.Add(1, new KeyValuePair<string, object?>("caller", key.Item1), new KeyValuePair<string, object?>("reason", ReasonName(reason)));
    }

    /// <summary>Counts so far, largest first.</summary>
    public IReadOnlyList<(string Caller, LogRefusalReason Reason, long Count)> Snapshot() =>
        [.. _counts.Select(kv => (kv.Key.Caller, kv.Key.Reason, kv.Value)).OrderByDescending(c => c.Value).ThenBy(c => c.Caller, StringComparer.Ordinal)];

    public static string ReasonName(LogRefusalReason reason) => reason switch
    {
        LogRefusalReason.QueueFull => "queue_full",
        LogRefusalReason.WriteFailed => "write_failed",
        _ => "stopped",
    };
}
