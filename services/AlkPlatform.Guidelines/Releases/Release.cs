using System.Security.Cryptography;
using AlkPlatform.Guidelines.Content;

namespace AlkPlatform.Guidelines.Releases;

/// <summary>An approved revision cut for serving: immutable canonical content, its hash, and who approved it.</summary>
public sealed record Release
{
    public required string ReleaseId { get; init; }
    public required string GuidelineId { get; init; }
    public required int RevisionNumber { get; init; }
    public required string VersionLabel { get; init; }
    public required string ContentHash { get; init; }
    public required ReadOnlyMemory<byte> CanonicalContent { get; init; }
    public required DateTimeOffset ApprovedAt { get; init; }
    public required DateTimeOffset PublishedAt { get; init; }
    public required string ApprovalBasis { get; init; }
    public IReadOnlyList<RevisionApproval> Approvals { get; init; } = [];

    public static string MakeId(string guidelineId, int revisionNumber, string contentHash) =>
        $"{guidelineId}@r{revisionNumber}-{contentHash[..12]}";

    /// <summary>Cuts a release from content: canonicalises, hashes and stamps it.</summary>
    public static Release Cut(
        GuidelineContent content, int revisionNumber, DateTimeOffset approvedAt, DateTimeOffset publishedAt,
        string approvalBasis, IReadOnlyList<RevisionApproval> approvals)
    {
        var canonical = GuidelineJson.ToCanonicalUtf8(content);
        var hash = GuidelineJson.ComputeHash(canonical);
        return new Release
        {
            ReleaseId = MakeId(content.GuidelineId, revisionNumber, hash),
            GuidelineId = content.GuidelineId,
            RevisionNumber = revisionNumber,
            VersionLabel = content.VersionLabel,
            ContentHash = hash,
            CanonicalContent = canonical,
            ApprovedAt = approvedAt,
            PublishedAt = publishedAt,
            ApprovalBasis = approvalBasis,
            Approvals = approvals,
        };
    }

    /// <summary>
    /// Checks that the bytes hash to the stated hash, are canonical, belong to the stated guideline, and that every approval
    /// signed this hash. Returns the parsed content, or throws <see cref="ReleaseVerificationException"/>.
    /// </summary>
    public GuidelineContent Verify()
    {
        var actual = GuidelineJson.ComputeHash(CanonicalContent.Span);
        if (!CryptographicOperations.FixedTimeEquals(
                System.Text.Encoding.ASCII.GetBytes(actual), System.Text.Encoding.ASCII.GetBytes(ContentHash)))
        {
            throw new ReleaseVerificationException(ReleaseId, $"content hashes to {actual}, not the stated {ContentHash}");
        }
        GuidelineContent content;
        try
        {
            content = GuidelineJson.Parse(CanonicalContent.Span);
        }
        catch (GuidelineFormatException ex)
        {
            throw new ReleaseVerificationException(ReleaseId, $"content is not a guideline: {ex.Message}");
        }
        if (!CanonicalContent.Span.SequenceEqual(GuidelineJson.ToCanonicalUtf8(content)))
        {
            throw new ReleaseVerificationException(ReleaseId, "content is not in canonical form");
        }
        if (content.GuidelineId != GuidelineId)
        {
            throw new ReleaseVerificationException(ReleaseId, $"content is guideline '{content.GuidelineId}', not '{GuidelineId}'");
        }
        if (Approvals.FirstOrDefault(a => a.ContentHash != ContentHash) is { } stale)
        {
            throw new ReleaseVerificationException(ReleaseId, $"approval by {stale.ApproverId} signed {stale.ContentHash}, not this content");
        }
        return content;
    }
}
