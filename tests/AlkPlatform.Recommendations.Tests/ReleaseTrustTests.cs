using System.Text;
using AlkPlatform.Contracts.Recommendation.V1;
using AlkPlatform.Guidelines.Content;
using AlkPlatform.Guidelines.Releases;
using AlkPlatform.Guidelines.Releases.Signing;
using AlkPlatform.Testing;
using Grpc.Core;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AlkPlatform.Recommendations.Tests;

/// <summary>
/// Only the board's signed releases reach clinicians: every way a feed nobody authorised could change an answer, sent over a
/// real feed on a loopback port, is refused while the last good release keeps serving and the refusal is named where ops
/// look; and every event the board does sign is served.
/// </summary>
public sealed class ReleaseTrustTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The live content with alectinib 300 mg changed to 900 mg, re-hashed, and "approved" by two made-up approvals of the new hash.</summary>
    private static Release NineHundredMilligrams(int revisionNumber = 3)
    {
        var canonical = Encoding.UTF8.GetString(GuidelineJson.ToCanonicalUtf8(SeedGuideline.Load()));
        Assert.Contains("\"dose\":300", canonical, StringComparison.Ordinal);
        var tampered = GuidelineJson.Parse(canonical.Replace("\"dose\":300", "\"dose\":900", StringComparison.Ordinal));
        return TestReleaseFeed.Approved(tampered, revisionNumber);
    }

    private static async Task AssertRefusedAndStillServing(FeedWorld world, Release lastGood, string refusal)
    {
        var listed = await world.WaitForProblem(refusal);
        Assert.Equal(lastGood.ReleaseId, Assert.Single(listed.Guidelines).Release.ReleaseId);
        var answer = await world.Client.RecommendAsync(ReferencePatients.RelapsedRefractory70Kg, cancellationToken: Ct);
        Assert.Equal(lastGood.ReleaseId, answer.Release.ReleaseId);
        var health = await world.ReleaseHealth();
        Assert.Equal(HealthStatus.Degraded, health.Status);
        Assert.Contains(refusal, health.Description, StringComparison.Ordinal);
        Assert.Contains($"serving last good {lastGood.ReleaseId}", health.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HashValidContentWithFabricatedApprovals_Unsigned_IsRefused_AndTheAnswerStays300Mg()
    {
        await using var world = await FeedWorld.StartAsync();
        var good = await world.PublishAndWait(2, sequence: 1);
        var forged = NineHundredMilligrams();
        var message = world.Feed.ReleaseMessage(forged, sequence: 2);
        message.Release.SignedEvent = null;

        await world.Feed.SendAsync(message);

        await AssertRefusedAndStillServing(world, good, $"Refused release {forged.ReleaseId}: it is not signed");
        Assert.Equal(300, await world.AlectinibDose());
    }

    [Fact]
    public async Task HashValidContentWithFabricatedApprovals_SignedByAnUntrustedKey_IsRefusedNamingTheKey()
    {
        await using var world = await FeedWorld.StartAsync();
        var good = await world.PublishAndWait(2, sequence: 1);
        using var stranger = ReleaseSigningKey.Generate();
        var forged = NineHundredMilligrams();

        await world.Feed.PublishAsync(forged, sequence: 2, signer: stranger);

        await AssertRefusedAndStillServing(world, good,
            $"Refused release {forged.ReleaseId}: it is signed by key {stranger.KeyId}, which this service does not trust (trusted: {world.Feed.Board.KeyId})");
        Assert.Equal(300, await world.AlectinibDose());
    }

    [Fact]
    public async Task SignatureOverOtherBytes_IsRefused()
    {
        await using var world = await FeedWorld.StartAsync();
        var good = await world.PublishAndWait(2, sequence: 1);
        var next = TestReleaseFeed.ApprovedRevision(3);
        var message = world.Feed.ReleaseMessage(next, sequence: 2);
        var otherSignature = world.Feed.ReleaseMessage(TestReleaseFeed.ApprovedRevision(4), sequence: 2).Release.SignedEvent.Signature;
        message.Release.SignedEvent.Signature = otherSignature;

        await world.Feed.SendAsync(message);

        await AssertRefusedAndStillServing(world, good, $"Refused release {next.ReleaseId}: its signature does not verify under key {world.Feed.Board.KeyId}");
    }

    [Fact]
    public async Task ReleaseIdNotDerivedFromTheHash_IsRefused()
    {
        await using var world = await FeedWorld.StartAsync();
        var good = await world.PublishAndWait(2, sequence: 1);
        var next = TestReleaseFeed.ApprovedRevision(3) with { ReleaseId = "alk-lbcl@r3-000000000000" };

        await world.Feed.PublishAsync(next, sequence: 2);

        var derived = Release.MakeId("alk-lbcl", 3, next.ContentHash);
        await AssertRefusedAndStillServing(world, good,
            $"Refused release alk-lbcl@r3-000000000000: its release id is not the one derived from guideline, revision and hash ({derived})");
    }

    [Fact]
    public async Task FewerApprovalsThanTheQuorum_IsRefused()
    {
        await using var world = await FeedWorld.StartAsync();
        var good = await world.PublishAndWait(2, sequence: 1);
        var next = TestReleaseFeed.ApprovedRevision(3);
        next = next with { Approvals = [next.Approvals[0]] };

        await world.Feed.PublishAsync(next, sequence: 2);

        await AssertRefusedAndStillServing(world, good, $"Refused release {next.ReleaseId}: it carries 1 distinct approval(s); the quorum is 2");
    }

    [Fact]
    public async Task ConfiguredQuorumOfThree_ReleaseWithTwoApprovals_IsRefused_AndThreeAreServed()
    {
        await using var world = await FeedWorld.StartAsync(new Dictionary<string, string> { ["ReleaseTrust:ApprovalQuorum"] = "3" });
        var two = TestReleaseFeed.ApprovedRevision(2);
        await world.Feed.PublishAsync(two, sequence: 1);
        await world.WaitForProblem($"Refused release {two.ReleaseId}: it carries 2 distinct approval(s); the quorum is 3");

        var three = TestReleaseFeed.Approved(SeedGuideline.Load() with { VersionLabel = "test-3" }, 3, "board-member-1", "board-member-2", "board-member-3");
        await world.Feed.PublishAsync(three, sequence: 2);

        var listed = await world.WaitUntilServing(three.ReleaseId);
        Assert.Equal("", listed.Feed.LastError);
    }

    [Fact]
    public async Task SameApproverTwice_IsRefused()
    {
        await using var world = await FeedWorld.StartAsync();
        var good = await world.PublishAndWait(2, sequence: 1);
        var next = TestReleaseFeed.ApprovedRevision(3);
        next = next with { Approvals = [next.Approvals[0], next.Approvals[0]] };

        await world.Feed.PublishAsync(next, sequence: 2);

        await AssertRefusedAndStillServing(world, good,
            $"Refused release {next.ReleaseId}: board-member-1 is listed as an approver more than once; approvals must come from distinct approvers");
    }

    [Fact]
    public async Task ApprovalOfAnotherHash_IsRefused()
    {
        await using var world = await FeedWorld.StartAsync();
        var good = await world.PublishAndWait(2, sequence: 1);
        var next = TestReleaseFeed.ApprovedRevision(3);
        next = next with { Approvals = [next.Approvals[0], TestReleaseFeed.Approval("board-member-2", good.ContentHash)] };

        await world.Feed.PublishAsync(next, sequence: 2);

        await AssertRefusedAndStillServing(world, good,
            $"Refused release {next.ReleaseId}: the approval by board-member-2 names content {good.ContentHash}, not {next.ContentHash}");
    }

    [Fact]
    public async Task OlderSequenceNumber_IsRefusedAsAReplay()
    {
        await using var world = await FeedWorld.StartAsync();
        await world.PublishAndWait(2, sequence: 1);
        var current = await world.PublishAndWait(3, sequence: 2);

        // The board's own earlier event, replayed: validly signed, but not newer than what is active.
        await world.Feed.PublishAsync(TestReleaseFeed.ApprovedRevision(2), sequence: 1);

        await AssertRefusedAndStillServing(world, current,
            $"Refused release {TestReleaseFeed.ApprovedRevision(2).ReleaseId}: its sequence number 1 is not newer than the active 2 (a replayed or out-of-order event)");
    }

    [Fact]
    public async Task OlderRevisionWithoutASignedRollback_IsRefused()
    {
        await using var world = await FeedWorld.StartAsync();
        await world.PublishAndWait(2, sequence: 1);
        var current = await world.PublishAndWait(3, sequence: 2);
        var older = TestReleaseFeed.ApprovedRevision(2);

        await world.Feed.PublishAsync(older, sequence: 3, ReleaseEventKind.Release);

        await AssertRefusedAndStillServing(world, current,
            $"Refused release {older.ReleaseId}: revision 2 is older than the active revision 3; an earlier revision goes live again only through a signed rollback");
    }

    [Fact]
    public async Task ReplayedUnderAnotherGuidelineName_IsRefused()
    {
        await using var world = await FeedWorld.StartAsync();
        var old = await world.PublishAndWait(2, sequence: 1);
        var current = await world.PublishAndWait(3, sequence: 2);
        // The old event again, in a message naming a guideline with no active event, so no lineage would stop it.
        var replay = world.Feed.ReleaseMessage(old, sequence: 1);
        replay.Release.GuidelineId = "other-guideline";

        await world.Feed.SendAsync(replay);

        await AssertRefusedAndStillServing(world, current,
            $"Refused release {old.ReleaseId}: the message names guideline 'other-guideline' but the signed envelope says 'alk-lbcl'");
    }

    [Fact]
    public async Task UnsignedRetirement_IsRefused_AndTheGuidelineKeepsServing()
    {
        await using var world = await FeedWorld.StartAsync();
        var good = await world.PublishAndWait(2, sequence: 1);
        var retirement = world.Feed.RetirementMessage("alk-lbcl", "withdrawn by a feed nobody authorised", sequence: 2, good);
        retirement.Retired.SignedEvent = null;

        await world.Feed.SendAsync(retirement);

        await AssertRefusedAndStillServing(world, good, "Refused retirement of alk-lbcl: it is not signed");
    }

    [Fact]
    public async Task SignedRelease_IsServed_AnswersNameIt_AndTheApprovalsAreTheSignedOnes()
    {
        await using var world = await FeedWorld.StartAsync();
        var release = TestReleaseFeed.ApprovedRevision(2);
        var message = world.Feed.ReleaseMessage(release, sequence: 1);
        // What the message says outside the signed envelope is display only: the service serves the envelope's basis.
        message.Release.ApprovalBasis = "board quorum 9 of 9";

        await world.Feed.SendAsync(message);
        var listed = await world.WaitUntilServing(release.ReleaseId);

        Assert.True(listed.Feed.Connected);
        Assert.Equal("", listed.Feed.LastError);
        var answer = await world.Client.RecommendAsync(ReferencePatients.RelapsedRefractory70Kg, cancellationToken: Ct);
        Assert.Equal(release.ReleaseId, answer.Release.ReleaseId);
        Assert.Equal(release.ContentHash, answer.Release.ContentHash);
        Assert.Equal("board approval: 2 distinct approvers (quorum 2)", answer.Release.ApprovalBasis);
        Assert.Equal(HealthStatus.Healthy, (await world.ReleaseHealth()).Status);
    }

    [Fact]
    public async Task SignedRollbackToAnOlderRevision_IsServed()
    {
        await using var world = await FeedWorld.StartAsync();
        var two = await world.PublishAndWait(2, sequence: 1);
        await world.PublishAndWait(3, sequence: 2);

        await world.Feed.PublishAsync(two, sequence: 3, ReleaseEventKind.Rollback);

        var listed = await world.WaitUntilServing(two.ReleaseId);
        Assert.Equal(2, listed.Guidelines[0].Release.RevisionNumber);
        Assert.Equal("", listed.Feed.LastError);
    }

    [Fact]
    public async Task SignedRetirement_TakesTheGuidelineOffline_WithTheSignedReason()
    {
        await using var world = await FeedWorld.StartAsync();
        var good = await world.PublishAndWait(2, sequence: 1);
        var retirement = world.Feed.RetirementMessage("alk-lbcl", "superseded by a new guideline", sequence: 2, good);
        retirement.Retired.Reason = "unsigned words";

        await world.Feed.SendAsync(retirement);
        var listed = await world.WaitFor(r => r.Retired.Count == 1);

        Assert.Empty(listed.Guidelines);
        Assert.Equal("superseded by a new guideline", Assert.Single(listed.Retired).Reason);
        var error = await Assert.ThrowsAsync<RpcException>(() => world.Client.RecommendAsync(
            new RecommendRequest { GuidelineId = "alk-lbcl" }, cancellationToken: Ct).ResponseAsync);
        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Contains("superseded by a new guideline", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rotation_TwoTrustedKeys_EventsSignedByEitherAreServed()
    {
        using var next = ReleaseSigningKey.Generate();
        await using var world = await FeedWorld.StartAsync(new Dictionary<string, string> { ["ReleaseTrust:TrustedKeys:1"] = next.ExportPublicKeyPem() });
        await world.PublishAndWait(2, sequence: 1);

        var byNewKey = TestReleaseFeed.ApprovedRevision(3);
        await world.Feed.PublishAsync(byNewKey, sequence: 2, signer: next);
        await world.WaitUntilServing(byNewKey.ReleaseId);

        var byOldKey = TestReleaseFeed.ApprovedRevision(4);
        await world.Feed.PublishAsync(byOldKey, sequence: 3);
        var listed = await world.WaitUntilServing(byOldKey.ReleaseId);
        Assert.Equal("", listed.Feed.LastError);
    }
}
