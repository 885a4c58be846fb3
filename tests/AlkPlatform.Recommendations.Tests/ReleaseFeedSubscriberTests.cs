using AlkPlatform.Contracts.Recommendation.V1;
using AlkPlatform.Guidelines.Content;
using AlkPlatform.Guidelines.Releases;
using AlkPlatform.Recommendations.Releases;
using AlkPlatform.Testing;
using Grpc.Core;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace AlkPlatform.Recommendations.Tests;

public class ReleaseFeedSubscriberTests
{
    private static Release Revision(int number, string label)
    {
        var seed = SeedGuideline.Load();
        return Release.Cut(seed with { VersionLabel = label }, number, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, "board quorum 2 of 2", []);
    }

    private static RecommendationServiceHost FollowingFeed(TestReleaseFeed feed) =>
        new(new Dictionary<string, string> { ["ReleaseFeed:Address"] = feed.Address });

    /// <summary>Polls until the condition holds; the deadline is generous because this asserts arrival, not speed.</summary>
    private static async Task<ListGuidelinesResponse> WaitFor(RecommendationService.RecommendationServiceClient client, Func<ListGuidelinesResponse, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var response = await client.ListGuidelinesAsync(new ListGuidelinesRequest(), cancellationToken: TestContext.Current.CancellationToken);
            if (condition(response) || DateTime.UtcNow > deadline)
            {
                return response;
            }
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task PublishedRelease_IsSwappedIn_AndAnswersNameIt()
    {
        await using var feed = await TestReleaseFeed.StartAsync();
        using var service = FollowingFeed(feed);
        var client = new RecommendationService.RecommendationServiceClient(service.Channel);
        var revisionTwo = Revision(2, "2.0");

        await feed.PublishAsync(revisionTwo);
        var listed = await WaitFor(client, r => r.Guidelines.Any(g => g.Release.ReleaseId == revisionTwo.ReleaseId));

        Assert.Equal(revisionTwo.ReleaseId, Assert.Single(listed.Guidelines).Release.ReleaseId);
        Assert.True(listed.Feed.Configured);
        Assert.True(listed.Feed.Connected);
        var answer = await client.RecommendAsync(new RecommendRequest { Facts = new PatientFacts { LineOfTherapy = LineOfTherapy.Frontline } }, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(revisionTwo.ContentHash, answer.Release.ContentHash);
        Assert.Equal(2, answer.Release.RevisionNumber);
    }

    [Fact]
    public async Task TamperedRelease_IsRejected_AndTheLastGoodReleaseKeepsServing()
    {
        await using var feed = await TestReleaseFeed.StartAsync();
        using var service = FollowingFeed(feed);
        var client = new RecommendationService.RecommendationServiceClient(service.Channel);
        var good = Revision(2, "2.0");
        await feed.PublishAsync(good);
        await WaitFor(client, r => r.Guidelines.Any(g => g.Release.ReleaseId == good.ReleaseId));

        var tampered = Revision(3, "3.0");
        var bytes = tampered.CanonicalContent.ToArray();
        bytes[^10] ^= 1;
        await feed.PublishAsync(tampered with { CanonicalContent = bytes });
        var listed = await WaitFor(client, r => r.Feed.LastError.Length > 0);

        Assert.Contains("failed verification", listed.Feed.LastError, StringComparison.Ordinal);
        Assert.Equal(good.ReleaseId, Assert.Single(listed.Guidelines).Release.ReleaseId);
    }

    [Fact]
    public async Task Approvals_ArriveWithTheRelease_AndAnApprovalOfOtherContentIsRejected()
    {
        await using var feed = await TestReleaseFeed.StartAsync();
        using var service = FollowingFeed(feed);
        var client = new RecommendationService.RecommendationServiceClient(service.Channel);
        var good = Revision(2, "2.0");
        good = good with { Approvals = [Approval("board-member-1", good.ContentHash), Approval("board-member-2", good.ContentHash)] };
        await feed.PublishAsync(good);
        await WaitFor(client, r => r.Guidelines.Any(g => g.Release.ReleaseId == good.ReleaseId));

        var stored = service.Services.GetRequiredService<ReleaseStore>().Find(good.ReleaseId);
        Assert.Equal(good.Approvals, stored!.Approvals);

        var staleApproval = Revision(3, "3.0");
        await feed.PublishAsync(staleApproval with { Approvals = [Approval("board-member-1", good.ContentHash)] });
        var listed = await WaitFor(client, r => r.Feed.LastError.Length > 0);

        Assert.Contains("board-member-1 signed", listed.Feed.LastError, StringComparison.Ordinal);
        Assert.Equal(good.ReleaseId, Assert.Single(listed.Guidelines).Release.ReleaseId);
    }

    private static RevisionApproval Approval(string approverId, string contentHash) =>
        new(approverId, approverId, DateTimeOffset.UtcNow, "I approve this content for clinical use", contentHash);

    [Fact]
    public async Task FeedGoesAway_ServiceKeepsAnswering_ReportsDisconnected_AndReconnectsWhenItReturns()
    {
        var feed = await TestReleaseFeed.StartAsync();
        var port = feed.Port;
        using var service = FollowingFeed(feed);
        var client = new RecommendationService.RecommendationServiceClient(service.Channel);
        var revisionTwo = Revision(2, "2.0");
        await feed.PublishAsync(revisionTwo);
        await WaitFor(client, r => r.Guidelines.Any(g => g.Release.ReleaseId == revisionTwo.ReleaseId));

        await feed.DisposeAsync();
        var down = await WaitFor(client, r => !r.Feed.Connected);
        Assert.False(down.Feed.Connected);
        var answer = await client.RecommendAsync(new RecommendRequest { Facts = new PatientFacts { LineOfTherapy = LineOfTherapy.Frontline } }, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(revisionTwo.ReleaseId, answer.Release.ReleaseId);

        await using var back = await TestReleaseFeed.StartAsync(port);
        var revisionThree = Revision(3, "3.0");
        await back.PublishAsync(revisionThree);
        var up = await WaitFor(client, r => r.Guidelines.Any(g => g.Release.ReleaseId == revisionThree.ReleaseId));
        Assert.True(up.Feed.Connected);
        Assert.Equal(revisionThree.ReleaseId, Assert.Single(up.Guidelines).Release.ReleaseId);
    }

    [Fact]
    public async Task RetiredOnTheFeed_IsFailedPreconditionNamingTheGuideline()
    {
        await using var feed = await TestReleaseFeed.StartAsync();
        using var service = FollowingFeed(feed);
        var client = new RecommendationService.RecommendationServiceClient(service.Channel);
        await feed.PublishAsync(Revision(2, "2.0"));
        await WaitFor(client, r => r.Guidelines.Count == 1);

        await feed.RetireAsync("alk-lbcl", "superseded by a new guideline");
        var listed = await WaitFor(client, r => r.Retired.Count == 1);

        Assert.Empty(listed.Guidelines);
        var error = await Assert.ThrowsAsync<RpcException>(() => client.RecommendAsync(
            new RecommendRequest { GuidelineId = "alk-lbcl" }, cancellationToken: TestContext.Current.CancellationToken).ResponseAsync);
        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Contains("alk-lbcl", error.Status.Detail, StringComparison.Ordinal);
    }
}
