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
        // Seconds, as OpenTelemetry's conventions have durations; the buckets cover an fsync (~0.1 ms) to a stalled disk.
        CommitDuration = _meter.CreateHistogram<double>("alk.evaluation_log.commit.duration", "s",
            "Time to write and commit one batch", advice: new InstrumentAdvice<double>
            {
                HistogramBucketBoundaries = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
            });
    }

    public LogRefusalCounter Refusals { get; }
    public Counter<long> Written { get; }
    public Histogram<int> BatchSize { get; }
    public Histogram<double> CommitDuration { get; }

    public void Dispose() => _meter.Dispose();
}
