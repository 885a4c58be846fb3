using AlkPlatform.Contracts.Releases.V1;
using AlkPlatform.Guidelines.Releases;
using AlkPlatform.Guidelines.Releases.Signing;
using AlkPlatform.Guidelines.Workflow;
using AlkPlatform.Portal.Tests.Infrastructure;
using AlkPlatform.Testing;
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
        var client = new ReleaseFeedService.ReleaseFeedServiceClient(channel.WithBearer(() => world.Identity.TokenFor(LocalIdentityHost.Service, LocalIdentityHost.Portal)));
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
    public async Task WatchReleases_EveryEvent_CarriesThePortalsSignatureThatAServiceVerifies()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var world = await PortalWorld.StartAsync();
        var portal = world.Portal;
        using var trusted = portal.SigningKey.Trusted();
        var service = new ReleaseEventVerifier(trusted, approvalQuorum: 2);
        using var channel = GrpcChannel.ForAddress(portal.Server.BaseAddress, new GrpcChannelOptions { HttpHandler = portal.Server.CreateHandler() });
        using var call = new ReleaseFeedService.ReleaseFeedServiceClient(channel.WithBearer(() => world.Identity.TokenFor(LocalIdentityHost.Service, LocalIdentityHost.Portal)))
            .WatchReleases(new WatchReleasesRequest { SubscriberId = "test" }, cancellationToken: ct);
        var stream = call.ResponseStream;
        Assert.True(await stream.MoveNext(ct));
        var seed = stream.Current.Release;
        Assert.True(await stream.MoveNext(ct));

        var workflow = portal.Services.GetRequiredService<GuidelineWorkflow>();
        var approved = BoardMembers.ApprovedChange(workflow, "alk-lbcl", c => c with { ChangeSummary = "Signed feed change" });
        workflow.Publish(BoardMembers.Actor("pia.publisher"), "alk-lbcl", approved.Number, "Board approved the updated alectinib dosing.");
        Assert.True(await stream.MoveNext(ct));
        var published = stream.Current.Release;
        workflow.Retire(BoardMembers.Actor("otto.ops"), "alk-lbcl", "Offline for the board's review.");
        Assert.True(await stream.MoveNext(ct));
        var retired = stream.Current.Retired;

        // The seed is signed as what it is: no board approval, which a service with a quorum of two refuses.
        Assert.Equal(portal.SigningKey.KeyId, seed.SignedEvent.KeyId);
        var seedRefusal = Assert.Throws<ReleaseVerificationException>(() =>
            service.VerifyRelease(seed.ReleaseId, seed.SignedEvent.ToDomain(), seed.CanonicalContent.Memory, active: null));
        Assert.Contains("the quorum is 2", seedRefusal.Message, StringComparison.Ordinal);
        var seedEnvelope = ReleaseEventEnvelope.Parse(seed.SignedEvent.Envelope.Span);
        var release = service.VerifyRelease(published.ReleaseId, published.SignedEvent.ToDomain(), published.CanonicalContent.Memory,
            new ActiveReleaseEvent(seedEnvelope.Sequence, seedEnvelope.RevisionNumber, seedEnvelope.ReleaseId));
        Assert.Equal(approved.Number, release.Release!.RevisionNumber);
        var retirement = service.VerifyRetirement("alk-lbcl", retired.SignedEvent.ToDomain(),
            new ActiveReleaseEvent(release.Envelope.Sequence, release.Envelope.RevisionNumber, release.Envelope.ReleaseId));
        Assert.Equal("Offline for the board's review.", retirement.Envelope.Reason);
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
        // A subscriber with every right except the listener: the browser-facing endpoint refuses it anyway.
        var client = new ReleaseFeedService.ReleaseFeedServiceClient(channel.WithBearer(() => world.Identity.TokenFor(LocalIdentityHost.Service, LocalIdentityHost.Portal)));

        using var call = client.WatchReleases(new WatchReleasesRequest { SubscriberId = "outsider" }, cancellationToken: ct);
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(ct));

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
    }

    [Theory]
    [InlineData(null, StatusCode.Unauthenticated)]
    // The EHR demo app's token for the portal: valid, but without the Releases.Subscribe role.
    [InlineData(LocalIdentityHost.EhrDemoApp, StatusCode.PermissionDenied)]
    public async Task WatchReleases_WithoutATokenOrWithoutReleasesSubscribe_IsRefusedBeforeAnyRelease(string? app, StatusCode expected)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var world = await PortalWorld.StartAsync();
        var portal = world.Portal;
        using var channel = GrpcChannel.ForAddress(portal.Server.BaseAddress, new GrpcChannelOptions { HttpHandler = portal.Server.CreateHandler() });
        var client = new ReleaseFeedService.ReleaseFeedServiceClient(
            channel.WithBearer(app is null ? null : () => world.Identity.TokenFor(app, LocalIdentityHost.Portal)));

        using var call = client.WatchReleases(new WatchReleasesRequest { SubscriberId = "stranger" }, cancellationToken: ct);
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(ct));

        Assert.Equal(expected, error.StatusCode);
    }

    [Fact]
    public async Task WatchReleases_WithTheServicesTokenForTheServiceInsteadOfThePortal_IsUnauthenticated()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var world = await PortalWorld.StartAsync();
        var portal = world.Portal;
        using var channel = GrpcChannel.ForAddress(portal.Server.BaseAddress, new GrpcChannelOptions { HttpHandler = portal.Server.CreateHandler() });
        var client = new ReleaseFeedService.ReleaseFeedServiceClient(
            channel.WithBearer(() => world.Identity.TokenFor(LocalIdentityHost.Portal, LocalIdentityHost.Service)));

        using var call = client.WatchReleases(new WatchReleasesRequest { SubscriberId = "wrong-audience" }, cancellationToken: ct);
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(ct));

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
    }

    /// <summary>
    /// The recommendation service's subscription token as the provider would issue it (signed with its key), then altered:
    /// only this tenant's issuer with this tenant's id opens the feed.
    /// </summary>
    [Theory]
    [InlineData("as issued", StatusCode.OK)]
    [InlineData("another tenant", StatusCode.Unauthenticated)]
    [InlineData("this issuer, another tenant's tid", StatusCode.Unauthenticated)]
    [InlineData("no tid", StatusCode.Unauthenticated)]
    [InlineData("another identity provider", StatusCode.Unauthenticated)]
    public async Task WatchReleases_OpensOnlyForThisTenantsIssuerAndTenantId(string alteration, StatusCode expected)
    {
        const string otherTenant = "0a0b0c0d-1111-4222-8333-944455556666";
        var ct = TestContext.Current.CancellationToken;
        await using var world = await PortalWorld.StartAsync();
        var portal = world.Portal;
        var origin = world.Identity.Origin.GetLeftPart(UriPartial.Authority);
        var token = world.Identity.MintToken(claims =>
        {
            (claims["aud"], claims["azp"], claims["appid"]) = (LocalIdentityHost.PortalClientId, LocalIdentityHost.ServiceClientId, LocalIdentityHost.ServiceClientId);
            claims["roles"] = new[] { "Releases.Subscribe" };
            switch (alteration)
            {
                case "another tenant":
                    (claims["iss"], claims["tid"]) = ($"{origin}/{otherTenant}/v2.0", otherTenant);
                    break;
                case "this issuer, another tenant's tid":
                    claims["tid"] = otherTenant;
                    break;
                case "no tid":
                    claims.Remove("tid");
                    break;
                case "another identity provider":
                    claims["iss"] = $"https://login.example.net/{LocalIdentityHost.TenantId}/v2.0";
                    break;
            }
        });
        using var channel = GrpcChannel.ForAddress(portal.Server.BaseAddress, new GrpcChannelOptions { HttpHandler = portal.Server.CreateHandler() });
        var client = new ReleaseFeedService.ReleaseFeedServiceClient(channel.WithBearer(() => token));

        using var call = client.WatchReleases(new WatchReleasesRequest { SubscriberId = "tenant-check" }, cancellationToken: ct);
        if (expected == StatusCode.OK)
        {
            Assert.True(await call.ResponseStream.MoveNext(ct), "the feed sends its snapshot to the tenant's own token");
            return;
        }
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(ct));

        Assert.Equal(expected, error.StatusCode);
    }

    private static string GuidelineJsonHash(Contracts.Releases.V1.Release release) =>
        Guidelines.Content.GuidelineJson.ComputeHash(release.CanonicalContent.Span);
}
