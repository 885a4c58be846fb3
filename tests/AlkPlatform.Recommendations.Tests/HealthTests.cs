using AlkPlatform.Contracts.Recommendation.V1;
using AlkPlatform.Recommendations.Diagnostics;
using AlkPlatform.Recommendations.Recommend;
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

    [Fact]
    public async Task Liveness_FollowingAFeedThatHasSentNothing_IsServing_WhileReadinessIsNotServing()
    {
        await using var world = await FeedWorld.StartAsync();
        var health = new Health.HealthClient(world.Service.Channel);

        var readiness = await health.CheckAsync(new HealthCheckRequest(), cancellationToken: Ct);
        var liveness = await health.CheckAsync(new HealthCheckRequest { Service = RecommendationApiExtensions.LivenessService }, cancellationToken: Ct);
        // Token-authenticated calls still answer, with nothing listed.
        var listed = await world.Client.ListGuidelinesAsync(new ListGuidelinesRequest(), cancellationToken: Ct);

        // Kubernetes keeps the pod out of the Service until a release is active, but does not restart it for waiting.
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, readiness.Status);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, liveness.Status);
        Assert.Empty(listed.Guidelines);
    }

    [Fact]
    public async Task ProbeHealth_AgainstAServingInstance_ExitsZero_AndAgainstOneWithoutARelease_ExitsOne()
    {
        using var serving = new RecommendationServiceHost();
        serving.StartOnKestrel();
        await using var feed = await TestReleaseFeed.StartAsync();
        using var waiting = new RecommendationServiceHost(feed.ServiceSettings());
        waiting.StartOnKestrel();
        using var output = new StringWriter();

        var servingExit = await HealthProbe.RunAsync(serving.Address, "", output);
        var waitingExit = await HealthProbe.RunAsync(waiting.Address, "", output);
        var waitingAliveExit = await HealthProbe.RunAsync(waiting.Address, RecommendationApiExtensions.LivenessService, output);

        Assert.True(servingExit == 0, output.ToString());
        Assert.Equal(1, waitingExit);
        Assert.Equal(0, waitingAliveExit);
        Assert.Contains("NotServing", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProbeHealth_AgainstAClosedPort_ExitsOneNamingUnavailable()
    {
        var closed = new Uri($"http://127.0.0.1:{HostProcess.FreeLoopbackPorts(1)[0]}");
        using var output = new StringWriter();

        var exit = await HealthProbe.RunAsync(closed, "", output);

        Assert.Equal(1, exit);
        Assert.Contains("Unavailable", output.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "--contentRoot", "/app", "--probe-health", "http://127.0.0.1:8080" }, "http://127.0.0.1:8080/", "")]
    [InlineData(new[] { "--probe-health", "http://127.0.0.1:8080", "liveness" }, "http://127.0.0.1:8080/", "liveness")]
    [InlineData(new[] { "--probe-health", "not a url" }, null, "")]
    public void IsRequested_FindsTheTargetAnywhereOnTheCommandLine(string[] args, string? address, string service)
    {
        Assert.True(HealthProbe.IsRequested(args, out var parsed, out var parsedService));
        Assert.Equal(address, parsed?.ToString());
        Assert.Equal(service, parsedService);
        Assert.False(HealthProbe.IsRequested(["--Storage:DataDirectory=/data"], out _, out _));
    }
}
