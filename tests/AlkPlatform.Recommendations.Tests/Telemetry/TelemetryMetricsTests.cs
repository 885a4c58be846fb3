using System.Diagnostics;
using AlkPlatform.Recommendations.EvaluationLogs;
using AlkPlatform.Recommendations.Releases;
using AlkPlatform.Recommendations.Telemetry;
using AlkPlatform.Testing;
using AlkPlatform.Testing.Telemetry;

namespace AlkPlatform.Recommendations.Tests.Telemetry;

/// <summary>The gauges and histograms an operator alerts on, read from a real host doing real work.</summary>
[Collection(nameof(TelemetryCollection))]
public sealed class TelemetryMetricsTests(TelemetryWorld world)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EvaluationLog_WhileTheDiskHoldsTheWriter_ReportsTheWaitingEvaluations_AndTheCommitTimeIncludesTheWait()
    {
        var writer = world.Service.Get<GroupCommitLogWriter>();
        var client = world.Service.Recommendations();
        var batchStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var commits = new ActivityListener
        {
            ShouldListenTo = source => source.Name == RecommendationsActivities.SourceName,
            Sample = (ref _) => ActivitySamplingResult.AllData,
            ActivityStarted = activity =>
            {
                if (activity.OperationName == "evaluation_log.commit")
                {
                    batchStarted.TrySetResult();
                }
            },
        };
        ActivitySource.AddActivityListener(commits);
        var calls = new List<Task>();
        long queued;
        Stopwatch held;
        using (SqliteWriteLock.Hold(world.Service.DatabasePath))
        {
            // The first call's batch starts and then waits for the lock; the writer takes nothing more until it gets it.
            calls.Add(client.RecommendAsync(ReferencePatients.RelapsedRefractory70Kg, cancellationToken: Ct).ResponseAsync);
            await batchStarted.Task.WaitAsync(TimeSpan.FromSeconds(20), Ct);
            held = Stopwatch.StartNew();
            calls.AddRange(Enumerable.Range(0, 3).Select(_ => client.RecommendAsync(ReferencePatients.RelapsedRefractory70Kg, cancellationToken: Ct).ResponseAsync));
            Assert.Equal(3, await Eventually.Until(() => Task.FromResult(writer.QueueDepth), depth => depth == 3, Ct));
            var gauge = TelemetryCapture.Points(world.Capture.CollectMetrics(world.Service.Services), "alk.evaluation_log.queue_depth");
            queued = Assert.Single(gauge).Point.GetGaugeLastValueLong();
        }
        var waited = held.Elapsed.TotalSeconds;
        await Task.WhenAll(calls);

        Assert.Equal(3, queued);
        var after = TelemetryCapture.Points(world.Capture.CollectMetrics(world.Service.Services), "alk.evaluation_log.queue_depth");
        Assert.Equal(0, Assert.Single(after).Point.GetGaugeLastValueLong());
        var commitTimes = Assert.Single(TelemetryCapture.Points(world.Capture.CollectMetrics(world.Service.Services), "alk.evaluation_log.commit.duration"));
        Assert.True(commitTimes.Point.GetHistogramCount() >= 2);
        Assert.True(commitTimes.Point.TryGetHistogramMinMaxValues(out _, out var slowest));
        // The batch that waited for the lock had started before the hold was timed, so it took at least as long.
        Assert.True(slowest >= waited, $"slowest commit {slowest} s, lock held {waited} s after the batch started");
    }

    [Fact]
    public void ReleaseAge_OfTheServedSeed_IsTheTimeSinceItsPublication_PerGuideline()
    {
        var live = Assert.Single(world.Service.Get<ReleaseCatalog>().Current.Live.Values).Release;
        var before = DateTimeOffset.UtcNow;

        var age = Assert.Single(TelemetryCapture.Points(world.Capture.CollectMetrics(world.Service.Services), "alk.recommendations.release.age"));

        var after = DateTimeOffset.UtcNow;
        Assert.Equal(TestReleaseFeed.Guideline, age.Tags["alk.guideline.id"]);
        Assert.Equal(live.ReleaseId, age.Tags["alk.release.id"]);
        Assert.InRange(age.Point.GetGaugeLastValueDouble(), (before - live.PublishedAt).TotalSeconds, (after - live.PublishedAt).TotalSeconds);
    }

    [Fact]
    public void FeedConnected_WithNoFeedConfigured_IsNotReported()
    {
        var collected = world.Capture.CollectMetrics(world.Service.Services);

        Assert.Empty(TelemetryCapture.Points(collected, "alk.recommendations.release_feed.connected"));
        Assert.NotEmpty(TelemetryCapture.Points(collected, "alk.recommendations.release.age"));
    }
}
