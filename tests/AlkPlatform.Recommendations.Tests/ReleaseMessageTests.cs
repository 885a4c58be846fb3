using AlkPlatform.Guidelines.Content;
using AlkPlatform.Guidelines.Releases;
using ReleaseMessage = AlkPlatform.Contracts.Releases.V1.Release;

namespace AlkPlatform.Recommendations.Tests;

/// <summary>The release feed's message mapping, which the portal's feed, the subscriber and the test feed all use.</summary>
public sealed class ReleaseMessageTests
{
    private static readonly IReadOnlyList<RevisionApproval> NoApprovals = [];

    [Fact]
    public void FromDomainThenToDomain_ApprovedRelease_KeepsEveryFieldAndEveryApproval()
    {
        var approvedAt = new DateTimeOffset(2026, 11, 30, 14, 5, 6, 789, TimeSpan.FromHours(2));
        var cut = Release.Cut(SeedGuideline.Load() with { VersionLabel = "2.0" }, 2, approvedAt, approvedAt.AddMinutes(5), "board quorum 2 of 2", []);
        var release = cut with
        {
            Approvals =
            [
                new RevisionApproval("board-member-1", "Board Member One", approvedAt.AddMinutes(-30), "I approve this content for clinical use", cut.ContentHash),
                new RevisionApproval("board-member-2", "Board Member Two", approvedAt, "I approve this content for clinical use", cut.ContentHash),
            ],
        };

        var back = ReleaseMessage.FromDomain(release).ToDomain();

        Assert.Equal(release.Approvals, back.Approvals);
        Assert.Equal(release.CanonicalContent.ToArray(), back.CanonicalContent.ToArray());
        Assert.Equal(release with { CanonicalContent = default, Approvals = NoApprovals }, back with { CanonicalContent = default, Approvals = NoApprovals });
        Assert.Equal(release.GuidelineId, back.Verify().GuidelineId);
    }
}
