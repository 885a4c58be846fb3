using System.Diagnostics.Metrics;

namespace AlkPlatform.Recommendations.EvaluationLogs;

/// <summary>The log writer's instruments (meter <see cref="MeterName"/>): queue depth, refusals per caller, records, batch size, commit time.</summary>
public sealed class EvaluationLogMetrics : IDisposable
{
    public const string MeterName = "AlkPlatform.EvaluationLogs";

    private readonly Meter _meter;

    public EvaluationLogMetrics(IMeterFactory meters, Func<int> queueDepth)
    {
        _meter = meters.Create(MeterName);
        _meter.CreateObservableGauge("alk.evaluation_log.queue_depth", queueDepth, "{evaluation}",
            "Evaluations waiting for the log writer");
        Refusals = new LogRefusalCounter(_meter);
        Written = _meter.CreateCounter<long>("alk.evaluation_log.records", "{record}", "Log records committed");
        BatchSize = _meter.CreateHistogram<int>("alk.evaluation_log.batch_size", "{record}", "Records per commit");
        CommitMilliseconds = _meter.CreateHistogram<double>("alk.evaluation_log.commit_duration", "ms",
            "Time to write and commit one batch");
    }

    public LogRefusalCounter Refusals { get; }
    public Counter<long> Written { get; }
    public Histogram<int> BatchSize { get; }
    public Histogram<double> CommitMilliseconds { get; }

    public void Dispose() => _meter.Dispose();
}
