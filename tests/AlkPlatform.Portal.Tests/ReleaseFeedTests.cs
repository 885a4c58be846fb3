using AlkPlatform.Contracts.Releases.V1;
using AlkPlatform.Guidelines.Releases;
using AlkPlatform.Guidelines.Workflow;
using AlkPlatform.Portal.Tests.Infrastructure;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;

namespace AlkPlatform.Portal.Tests;

public sealed class ReleaseFeedTests
{
    [Fact]
    public async Task WatchReleases_StreamsSeedSnapshotThenPublishedRelease_WithinOneSecond()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var world = await PortalWorld.StartAsync();
        var portal = world.Portal;
        using var channel = GrpcChannel.ForAddress(portal.Server.BaseAddress, new GrpcChannelOptions { HttpHandler = portal.Server.CreateHandler() });
        var client = new ReleaseFeedService.ReleaseFeedServiceClient(channel);
        using var call = client.WatchReleases(new WatchReleasesRequest { SubscriberId = "test" }, cancellationToken: ct);
        var stream = call.ResponseStream;

        Assert.True(await stream.MoveNext(ct));
        var seed = stream.Current.Release;
        Assert.Equal("alk-lbcl", seed.GuidelineId);
        Assert.Equal(1, seed.RevisionNumber);
        Assert.Equal(GuidelineJsonHash(seed), seed.ContentHash);
        Assert.True(await stream.MoveNext(ct));
        Assert.Equal(WatchReleasesResponse.EventOneofCase.SnapshotComplete, stream.Current.EventCase);

        var workflow = portal.Services.GetRequiredService<GuidelineWorkflow>();
        var approved = BoardMembers.ApprovedChange(workflow, "alk-lbcl", c => c with { ChangeSummary = "Feed test change" });
        var published = workflow.Publish(BoardMembers.Actor("pia.publisher"), "alk-lbcl", approved.Number, "Board approved the updated alectinib dosing.");

        using var oneSecond = CancellationTokenSource.CreateLinkedTokenSource(ct);
        oneSecond.CancelAfter(TimeSpan.FromSeconds(1));
        Assert.True(await stream.MoveNext(oneSecond.Token));
        var live = stream.Current.Release;
        Assert.Equal(published.ReleaseId, live.ReleaseId);
        Assert.Equal(approved.Number, live.RevisionNumber);
        Assert.Equal(GuidelineJsonHash(live), live.ContentHash);
        Assert.Equal(2, live.Approvals.Count);
        Assert.All(live.Approvals, a => Assert.Equal(live.ContentHash, a.ContentHash));
    }

    [Fact]
    public async Task WatchReleases_OnTheBrowserFacingHttpsEndpoint_IsRefused()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var world = await PortalWorld.StartAsync(onKestrel: true);
        var portal = world.Portal;
        // The test trusts the portal's throwaway loopback certificate.
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator };
        using var channel = GrpcChannel.ForAddress(portal.PagesOrigin!, new GrpcChannelOptions { HttpHandler = handler });
        var client = new ReleaseFeedService.ReleaseFeedServiceClient(channel);

        using var call = client.WatchReleases(new WatchReleasesRequest { SubscriberId = "outsider" }, cancellationToken: ct);
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(ct));

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
    }

    private static string GuidelineJsonHash(Contracts.Releases.V1.Release release) =>
        Guidelines.Content.GuidelineJson.ComputeHash(release.CanonicalContent.Span);
}
