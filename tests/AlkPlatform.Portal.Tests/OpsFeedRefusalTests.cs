using System.Net;
using AlkPlatform.Contracts.Recommendation.V1;
using AlkPlatform.Portal.Tests.Infrastructure;
using AlkPlatform.Testing;
using AngleSharp.Html.Parser;

namespace AlkPlatform.Portal.Tests;

/// <summary>A feed event the recommendation service refused is on the ops page, by release and reason, while it keeps serving.</summary>
public sealed class OpsFeedRefusalTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Ops_ServiceRefusedAFeedEvent_ShowsDegradedWithTheReleaseAndTheReason()
    {
        await using var feed = await TestReleaseFeed.StartAsync();
        var identity = new LocalIdentityHost();
        await using var service = new RecommendationServiceHost(feed.ServiceSettings(), identity: identity);
        service.StartOnKestrel();
        var good = TestReleaseFeed.ApprovedRevision(2);
        await feed.PublishAsync(good, sequence: 1);
        var forged = TestReleaseFeed.ApprovedRevision(3);
        var unsigned = feed.ReleaseMessage(forged, sequence: 2);
        unsigned.Release.SignedEvent = null;
        await feed.SendAsync(unsigned);
        var refusal = $"Refused release {forged.ReleaseId}: it is not signed";
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!(await service.Recommendations().ListGuidelinesAsync(new ListGuidelinesRequest(), cancellationToken: Ct)).Feed.LastError.Contains(refusal, StringComparison.Ordinal)
            && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20, Ct);
        }
        await using var world = await PortalWorld.StartAsync(service.PortalSettings(), identity: identity);
        var otto = await world.ClientFor(SignIn.User("otto.ops"));

        using var response = await otto.GetAsync("/Ops", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal("Serving the last good release, degraded", page.QuerySelector("#health .status")!.TextContent);
        Assert.Equal([refusal], page.QuerySelectorAll("#feed-problems li").Select(li => li.TextContent));
        Assert.Contains(good.ReleaseId, page.QuerySelector("#guidelines")!.TextContent, StringComparison.Ordinal);
    }
}
