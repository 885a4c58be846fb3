using AlkPlatform.Contracts.Ops.V1;
using AlkPlatform.Guidelines.Releases.Signing;
using AlkPlatform.Testing;
using Grpc.Core;

namespace AlkPlatform.Recommendations.Tests;

/// <summary>The ops API that hands the portal's chain verifier exactly the signed events this service activated.</summary>
public sealed class ReleaseActivationApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ReleaseActivationService.ReleaseActivationServiceClient Activations(FeedWorld world, string? app = LocalIdentityHost.Portal) =>
        new(world.Service.As(app));

    [Fact]
    public async Task ListReleaseActivations_ReturnsEveryActivatedEventOldestFirst_ByteForByte_WithTheServiceId()
    {
        await using var world = await FeedWorld.StartAsync(new Dictionary<string, string> { ["ReleaseFeed:SubscriberId"] = "ward-7-replica-a" });
        var sent = new List<AlkPlatform.Contracts.Releases.V1.WatchReleasesResponse>();
        var two = TestReleaseFeed.ApprovedRevision(2);
        var three = TestReleaseFeed.ApprovedRevision(3);
        sent.Add(world.Feed.ReleaseMessage(two, 1));
        sent.Add(world.Feed.ReleaseMessage(three, 2));
        sent.Add(world.Feed.ReleaseMessage(two, 3, ReleaseEventKind.Rollback));
        sent.Add(world.Feed.RetirementMessage("alk-lbcl", "withdrawn by the board", 4, two));
        // Refused events are not activations.
        sent.Add(world.Feed.ReleaseMessage(three, 2));
        foreach (var message in sent)
        {
            await world.Feed.SendAsync(message);
        }
        await world.WaitForProblem("is not newer than the active 4");

        var listed = await Activations(world).ListReleaseActivationsAsync(new ListReleaseActivationsRequest(), cancellationToken: Ct);

        Assert.Equal("ward-7-replica-a", listed.ServiceId);
        var expected = sent.Take(4).Select(m => m.Release?.SignedEvent ?? m.Retired.SignedEvent).ToList();
        Assert.Equal(expected, listed.Activations.Select(a => a.SignedEvent));
        Assert.All(listed.Activations, a => Assert.NotNull(a.ActivatedAt));
        Assert.Equal(listed.Activations.Select(a => a.ActivatedAt.ToDateTimeOffset()).Order(), listed.Activations.Select(a => a.ActivatedAt.ToDateTimeOffset()));
    }

    [Fact]
    public async Task ListReleaseActivations_ForOneGuideline_ListsOnlyItsEvents()
    {
        await using var world = await FeedWorld.StartAsync();
        await world.PublishAndWait(2, sequence: 1);

        var mine = await Activations(world).ListReleaseActivationsAsync(new ListReleaseActivationsRequest { GuidelineId = "alk-lbcl" }, cancellationToken: Ct);
        var other = await Activations(world).ListReleaseActivationsAsync(new ListReleaseActivationsRequest { GuidelineId = "other-guideline" }, cancellationToken: Ct);

        Assert.Single(mine.Activations);
        Assert.Empty(other.Activations);
        Assert.Equal(Environment.MachineName, mine.ServiceId);
    }

    [Fact]
    public async Task ListReleaseActivations_WithoutATokenOrWithoutTheOpsRole_IsRefusedLikeTheRestOfTheOpsApi()
    {
        await using var world = await FeedWorld.StartAsync();

        var missing = await Assert.ThrowsAsync<RpcException>(() => Activations(world, app: null).ListReleaseActivationsAsync(new ListReleaseActivationsRequest(), cancellationToken: Ct).ResponseAsync);
        var clinical = await Assert.ThrowsAsync<RpcException>(() => Activations(world, app: LocalIdentityHost.EhrDemoApp).ListReleaseActivationsAsync(new ListReleaseActivationsRequest(), cancellationToken: Ct).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, missing.StatusCode);
        Assert.Equal(StatusCode.PermissionDenied, clinical.StatusCode);
    }
}
