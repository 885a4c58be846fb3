using System.Diagnostics;
using AlkPlatform.Contracts.Recommendation.V1;
using AlkPlatform.Recommendations.Releases;
using AlkPlatform.Testing;

namespace AlkPlatform.Recommendations.Tests;

/// <summary>How the service follows the feed: releases swap in, the stored record is the signed one, and a feed that goes away — loudly or silently — is reported while the last good release keeps serving.</summary>
public sealed class ReleaseFeedSubscriberTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PublishedRelease_IsSwappedIn_AndAnswersNameIt()
    {
        await using var world = await FeedWorld.StartAsync();
        var revisionTwo = TestReleaseFeed.ApprovedRevision(2);

        await world.Feed.PublishAsync(revisionTwo, sequence: 1);
        var listed = await world.WaitUntilServing(revisionTwo.ReleaseId);

        Assert.True(listed.Feed.Configured);
        Assert.True(listed.Feed.Connected);
        var answer = await world.Client.RecommendAsync(new RecommendRequest { Facts = new PatientFacts { LineOfTherapy = LineOfTherapy.Frontline } }, cancellationToken: Ct);
        Assert.Equal(revisionTwo.ContentHash, answer.Release.ContentHash);
        Assert.Equal(2, answer.Release.RevisionNumber);
    }

    [Fact]
    public async Task SignedReleaseWithAlteredContent_IsRefused_AndTheLastGoodReleaseKeepsServing()
    {
        await using var world = await FeedWorld.StartAsync();
        var good = await world.PublishAndWait(2, sequence: 1);
        var next = TestReleaseFeed.ApprovedRevision(3);
        var message = world.Feed.ReleaseMessage(next, sequence: 2);
        var bytes = next.CanonicalContent.ToArray();
        bytes[^10] ^= 1;
        message.Release.CanonicalContent = Google.Protobuf.ByteString.CopyFrom(bytes);

        await world.Feed.SendAsync(message);

        var listed = await world.WaitForProblem($"Refused release {next.ReleaseId}: the content hashes to");
        Assert.Contains($"not the signed {next.ContentHash}", listed.Feed.LastError, StringComparison.Ordinal);
        Assert.Equal(good.ReleaseId, Assert.Single(listed.Guidelines).Release.ReleaseId);
    }

    [Fact]
    public async Task ActivatedRelease_IsStoredWithTheSignedApprovals_AndTheExactSignedBytes()
    {
        await using var world = await FeedWorld.StartAsync();
        var release = TestReleaseFeed.ApprovedRevision(2);
        var message = world.Feed.ReleaseMessage(release, sequence: 1);
        message.Release.Approvals.Clear();

        await world.Feed.SendAsync(message);
        await world.WaitUntilServing(release.ReleaseId);

        var store = world.Service.Get<ReleaseStore>();
        Assert.Equal(release.Approvals, store.Find(release.ReleaseId)!.Approvals);
        var activation = Assert.Single(store.ListActivations());
        Assert.Equal(message.Release.SignedEvent.Envelope.ToByteArray(), activation.Event.Envelope.ToArray());
        Assert.Equal(message.Release.SignedEvent.Signature.ToByteArray(), activation.Event.Signature.ToArray());
        Assert.Equal(world.Feed.Board.KeyId, activation.Event.KeyId);
        Assert.Equal(1, activation.Sequence);
    }

    [Fact]
    public async Task TheSnapshotAgain_AfterReconnecting_ChangesNothing()
    {
        await using var world = await FeedWorld.StartAsync();
        var release = await world.PublishAndWait(2, sequence: 1);

        await world.Feed.PublishAsync(release, sequence: 1);
        var later = TestReleaseFeed.ApprovedRevision(3);
        await world.Feed.PublishAsync(later, sequence: 2);
        await world.WaitUntilServing(later.ReleaseId);

        Assert.Equal([1L, 2L], world.Service.Get<ReleaseStore>().ListActivations().Select(a => a.Sequence));
        Assert.Equal("", (await world.WaitFor(_ => true)).Feed.LastError);
    }

    [Fact]
    public async Task FeedGoesAway_ServiceKeepsAnswering_ReportsDisconnected_AndReconnectsWhenItReturns()
    {
        using var board = AlkPlatform.Guidelines.Releases.Signing.ReleaseSigningKey.Generate();
        var world = await FeedWorld.StartAsync(board: board);
        var port = world.Feed.Port;
        var revisionTwo = await world.PublishAndWait(2, sequence: 1);

        await world.Feed.DisposeAsync();
        var down = await world.WaitFor(r => !r.Feed.Connected);
        Assert.False(down.Feed.Connected);
        Assert.Contains("Release feed unreachable", down.Feed.LastError, StringComparison.Ordinal);
        var answer = await world.Client.RecommendAsync(ReferencePatients.RelapsedRefractory70Kg, cancellationToken: Ct);
        Assert.Equal(revisionTwo.ReleaseId, answer.Release.ReleaseId);

        await using var back = await TestReleaseFeed.StartAsync(port, board);
        var revisionThree = TestReleaseFeed.ApprovedRevision(3);
        await back.PublishAsync(revisionThree, sequence: 2);
        var up = await world.WaitUntilServing(revisionThree.ReleaseId);
        Assert.True(up.Feed.Connected);
        Assert.Equal("", up.Feed.LastError);
        await world.Service.DisposeAsync();
    }

    [Fact]
    public async Task FeedStopsAnsweringWithoutClosingTheConnection_PingsNoticeItWithinSeconds_AndTheStatusSaysDisconnected()
    {
        await using var feed = await TestReleaseFeed.StartAsync();
        await using var relay = SilentDropRelay.Start(feed.Port);
        var settings = feed.ServiceSettings(relay.Address);
        settings["ReleaseFeed:KeepAlivePingDelay"] = "00:00:01";
        settings["ReleaseFeed:KeepAlivePingTimeout"] = "00:00:01";
        using var service = new RecommendationServiceHost(settings);
        var client = service.Recommendations();
        var release = TestReleaseFeed.ApprovedRevision(2);
        await feed.PublishAsync(release, sequence: 1);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        ListGuidelinesResponse listed;
        do
        {
            // Polled, not spun: the service rate-limits each caller.
            await Task.Delay(20, Ct);
            listed = await client.ListGuidelinesAsync(new ListGuidelinesRequest(), cancellationToken: Ct);
        }
        while (!(listed.Feed.Connected && listed.Guidelines.Any(g => g.Release.ReleaseId == release.ReleaseId)) && DateTime.UtcNow < deadline);
        Assert.True(listed.Feed.Connected);

        relay.GoSilent();
        var silentFor = Stopwatch.StartNew();
        do
        {
            await Task.Delay(50, Ct);
            listed = await client.ListGuidelinesAsync(new ListGuidelinesRequest(), cancellationToken: Ct);
        }
        while (listed.Feed.Connected && silentFor.Elapsed < TimeSpan.FromSeconds(20));

        Assert.False(listed.Feed.Connected);
        Assert.True(silentFor.Elapsed < TimeSpan.FromSeconds(8), $"noticed after {silentFor.Elapsed}");
        Assert.Contains("Release feed stopped answering pings", listed.Feed.LastError, StringComparison.Ordinal);
        Assert.Equal(release.ReleaseId, Assert.Single(listed.Guidelines).Release.ReleaseId);
    }
}
