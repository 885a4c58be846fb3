using AlkPlatform.Testing;
using Grpc.Health.V1;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AlkPlatform.Recommendations.Tests;

public sealed class HealthTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Health_ReportsServing()
    {
        using var service = new RecommendationServiceHost();
        var health = new Health.HealthClient(service.Channel);

        var response = await health.CheckAsync(new HealthCheckRequest(), cancellationToken: Ct);

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, response.Status);
    }

    [Fact]
    public async Task Health_WithARefusedFeedEvent_IsDegradedNamingIt_AndStillServingOnTheWire()
    {
        await using var world = await FeedWorld.StartAsync();
        var good = await world.PublishAndWait(2, sequence: 1);
        var unsigned = world.Feed.ReleaseMessage(TestReleaseFeed.ApprovedRevision(3), sequence: 2);
        unsigned.Release.SignedEvent = null;
        await world.Feed.SendAsync(unsigned);
        await world.WaitForProblem("it is not signed");

        var check = await world.ReleaseHealth();
        var wire = await new Health.HealthClient(world.Service.Channel).CheckAsync(new HealthCheckRequest(), cancellationToken: Ct);

        Assert.Equal(HealthStatus.Degraded, check.Status);
        Assert.Equal($"Refused release {TestReleaseFeed.ApprovedRevision(3).ReleaseId}: it is not signed; serving last good {good.ReleaseId}", check.Description);
        // The last good release is still answered correctly, so orchestrators keep the replica in rotation.
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, wire.Status);
    }
}
