using System.Diagnostics.Metrics;
using AlkPlatform.Recommendations.Diagnostics;
using AlkPlatform.Recommendations.ReleaseFeed;
using AlkPlatform.Recommendations.Releases;

namespace AlkPlatform.Recommendations.Telemetry;

/// <summary>
/// Gauges over what is served (meter <see cref="CallStatusCounter.MeterName"/>): how old each guideline's live release is,
/// and whether the release feed is connected. Read when a listener collects; created at start so they exist from the first scrape.
/// </summary>
public sealed class ReleaseMetrics : IHostedService
{
    private readonly ReleaseCatalog _catalog;
    private readonly ReleaseFeedStatus _feed;
    private readonly TimeProvider _clock;

    public ReleaseMetrics(IMeterFactory meters, ReleaseCatalog catalog, ReleaseFeedStatus feed, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(meters);
        _catalog = catalog;
        _feed = feed;
        _clock = clock;
        // The factory owns the meter (one per name) and disposes it with the host.
        var meter = meters.Create(CallStatusCounter.MeterName);
        meter.CreateObservableGauge("alk.recommendations.release.age", ObserveAges, "s",
            "Time since the live release of each guideline was published");
        meter.CreateObservableGauge("alk.recommendations.release_feed.connected", ObserveFeed, "{connection}",
            "1 while the release feed stream is connected, 0 while it is not (absent with no feed configured)");
        meter.CreateObservableGauge("alk.recommendations.release_feed.problems", ObserveProblems, "{problem}",
            "Standing feed problems: the broken connection, and refused events not yet settled by a later one");
    }

    private IEnumerable<Measurement<double>> ObserveAges()
    {
        var now = _clock.GetUtcNow();
        foreach (var live in _catalog.Current.Live.Values)
        {
            var release = live.Release;
            yield return new Measurement<double>(Math.Max(0, (now - release.PublishedAt).TotalSeconds),
                new KeyValuePair<string, object?>("alk.guideline.id", release.GuidelineId),
                new KeyValuePair<string, object?>("alk.release.id", release.ReleaseId),
                new KeyValuePair<string, object?>("alk.release.revision", release.RevisionNumber));
        }
    }

    private IEnumerable<Measurement<int>> ObserveFeed()
    {
        if (_feed.Configured)
        {
            yield return new Measurement<int>(_feed.Connected ? 1 : 0);
        }
    }

    private IEnumerable<Measurement<int>> ObserveProblems()
    {
        if (_feed.Configured)
        {
            yield return new Measurement<int>(_feed.Problems.Count);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
