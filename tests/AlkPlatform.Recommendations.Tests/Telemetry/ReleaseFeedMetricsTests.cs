using AlkPlatform.Recommendations.ReleaseFeed;
using AlkPlatform.Testing.Telemetry;

namespace AlkPlatform.Recommendations.Tests.Telemetry;

/// <summary>The feed-state gauge as the feed comes and goes. It needs a host following a feed, so it runs apart from <see cref="TelemetryWorld"/>'s.</summary>
[Collection(nameof(ReleaseFeedTelemetryCollection))]
public sealed class ReleaseFeedMetricsTests
{
    [Fact]
    public async Task FeedConnected_IsOneWhileTheStreamIsUp_AndZeroOnceTheFeedIsGone()
    {
        var capture = new TelemetryCapture();
        var world = await FeedWorld.StartAsync(TelemetryCapture.Settings, services: capture.AddTo);
        try
        {
            await FollowTheFeedAndLoseIt(world, capture);
        }
        finally
        {
            await world.Service.DisposeAsync();
        }
    }

    private static async Task FollowTheFeedAndLoseIt(FeedWorld world, TelemetryCapture capture)
    {
        var status = world.Service.Get<ReleaseFeedStatus>();
        await world.PublishAndWait(2, sequence: 1);

        var up = Assert.Single(TelemetryCapture.Points(capture.CollectMetrics(world.Service.Services), "alk.recommendations.release_feed.connected"));
        await world.Feed.DisposeAsync();
        await world.WaitFor(r => !r.Feed.Connected);
        var collected = capture.CollectMetrics(world.Service.Services);
        var down = Assert.Single(TelemetryCapture.Points(collected, "alk.recommendations.release_feed.connected"));
        var problems = Assert.Single(TelemetryCapture.Points(collected, "alk.recommendations.release_feed.problems"));

        Assert.Equal(1, up.Point.GetGaugeLastValueLong());
        Assert.False(status.Connected);
        Assert.Equal(0, down.Point.GetGaugeLastValueLong());
        Assert.Equal(status.Problems.Count, problems.Point.GetGaugeLastValueLong());
        Assert.True(problems.Point.GetGaugeLastValueLong() >= 1);
    }
}
