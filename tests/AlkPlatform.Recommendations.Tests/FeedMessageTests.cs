using AlkPlatform.Contracts.Releases.V1;
using AlkPlatform.Guidelines.Content;
using AlkPlatform.Testing;
using Google.Protobuf;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AlkPlatform.Recommendations.Tests;

/// <summary>
/// The subscriber never stops on a message: each malformed one, sent over a real feed, is refused and named in
/// ListGuidelines and health while the last good release keeps serving, and the next good event still goes live.
/// </summary>
public sealed class FeedMessageTests
{
    /// <summary>The next revision's release message with one thing taken away, and the refusal that names it.</summary>
    private static (WatchReleasesResponse Message, string Refusal) Broken(TestReleaseFeed feed, string what)
    {
        var next = TestReleaseFeed.ApprovedRevision(3);
        var message = feed.ReleaseMessage(next, sequence: 2);
        var release = message.Release;
        var name = $"Refused release {next.ReleaseId}";
        switch (what)
        {
            case "signed_event":
                release.SignedEvent = null;
                return (message, $"{name}: it is not signed");
            case "signed_event.envelope":
                release.SignedEvent.Envelope = ByteString.Empty;
                return (message, $"{name}: it is not signed");
            case "signed_event.signature":
                release.SignedEvent.Signature = ByteString.Empty;
                return (message, $"{name}: it is not signed");
            case "signed_event.key_id":
                release.SignedEvent.KeyId = "";
                return (message, $"{name}: it names no signing key");
            case "canonical_content":
                release.CanonicalContent = ByteString.Empty;
                return (message, $"{name}: the message has no canonical_content");
            case "release_id":
                release.ReleaseId = "";
                return (message, "Refused release (no release id) of guideline 'alk-lbcl': the message has no release_id");
            case "guideline_id":
                release.GuidelineId = "";
                return (message, $"{name}: the message has no guideline_id");
            case "approved_at":
                release.ApprovedAt = null;
                return (message, $"{name}: the message has no approved_at");
            case "published_at":
                release.PublishedAt = null;
                return (message, $"{name}: the message has no published_at");
            case "approved_at and published_at":
                release.ApprovedAt = null;
                release.PublishedAt = null;
                return (message, $"{name}: the message has no approved_at, published_at");
            case "retirement signed_event":
                var unsigned = feed.RetirementMessage("alk-lbcl", "withdrawn", sequence: 2);
                unsigned.Retired.SignedEvent = null;
                return (unsigned, "Refused retirement of alk-lbcl: it is not signed");
            case "retirement retired_at":
                var undated = feed.RetirementMessage("alk-lbcl", "withdrawn", sequence: 2);
                undated.Retired.RetiredAt = null;
                return (undated, "Refused retirement of alk-lbcl: the message has no retired_at");
            case "event":
                return (new WatchReleasesResponse(), "Refused a feed message: it holds no release, retirement or snapshot marker");
            default:
                throw new ArgumentOutOfRangeException(nameof(what), what, "no such case");
        }
    }

    [Theory]
    [InlineData("signed_event")]
    [InlineData("signed_event.envelope")]
    [InlineData("signed_event.signature")]
    [InlineData("signed_event.key_id")]
    [InlineData("canonical_content")]
    [InlineData("release_id")]
    [InlineData("guideline_id")]
    [InlineData("approved_at")]
    [InlineData("published_at")]
    [InlineData("approved_at and published_at")]
    [InlineData("retirement signed_event")]
    [InlineData("retirement retired_at")]
    [InlineData("event")]
    public async Task MessageMissingARequiredField_IsRefused_TheServiceKeepsServing_AndTheNextGoodEventGoesLive(string missing)
    {
        await using var world = await FeedWorld.StartAsync();
        var good = await world.PublishAndWait(2, sequence: 1);
        var (message, refusal) = Broken(world.Feed, missing);

        await world.Feed.SendAsync(message);

        var listed = await world.WaitForProblem(refusal);
        Assert.Equal(good.ReleaseId, Assert.Single(listed.Guidelines).Release.ReleaseId);
        var health = await world.ReleaseHealth();
        Assert.Equal(HealthStatus.Degraded, health.Status);
        Assert.Contains(refusal, health.Description, StringComparison.Ordinal);
        Assert.Equal(300, await world.AlectinibDose());

        var later = TestReleaseFeed.ApprovedRevision(4);
        await world.Feed.PublishAsync(later, sequence: 3);
        var recovered = await world.WaitUntilServing(later.ReleaseId);
        Assert.Equal("", recovered.Feed.LastError);
        Assert.Equal(HealthStatus.Healthy, (await world.ReleaseHealth()).Status);
    }

    [Fact]
    public async Task SignedReleaseWhoseRulesDoNotCompile_IsRefused_NotAStop()
    {
        await using var world = await FeedWorld.StartAsync();
        var good = await world.PublishAndWait(2, sequence: 1);
        var seed = SeedGuideline.Load();
        // Correctly signed and approved, but a card rests on a statement the guideline does not contain: it cannot compile.
        var broken = TestReleaseFeed.Approved(seed with
        {
            VersionLabel = "test-3",
            Rules = [.. seed.Rules.Select((r, i) => i == 0 ? r with { Card = r.Card with { Statements = ["no-such-statement"] } } : r)],
        }, 3);

        await world.Feed.PublishAsync(broken, sequence: 2);

        var listed = await world.WaitForProblem($"Refused release {broken.ReleaseId}: GuidelineValidationException");
        Assert.Equal(good.ReleaseId, Assert.Single(listed.Guidelines).Release.ReleaseId);
        var later = TestReleaseFeed.ApprovedRevision(4);
        await world.Feed.PublishAsync(later, sequence: 3);
        await world.WaitUntilServing(later.ReleaseId);
    }
}
