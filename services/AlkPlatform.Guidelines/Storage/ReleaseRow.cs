using System.Text.Json;
using AlkPlatform.Guidelines.Releases;

namespace AlkPlatform.Guidelines.Storage;

/// <summary>A release as both databases store it (the portal's content store and the service's release store).</summary>
public sealed record ReleaseRow(
    string ReleaseId, string GuidelineId, long RevisionNumber, string VersionLabel, string ContentHash, byte[] CanonicalContent,
    DateTimeOffset ApprovedAt, DateTimeOffset PublishedAt, string ApprovalBasis, string ApprovalsJson)
{
    /// <summary>The SELECT list that maps a <c>releases</c> row onto this record.</summary>
    public const string Columns =
        """
        release_id AS ReleaseId, guideline_id AS GuidelineId, revision_number AS RevisionNumber, version_label AS VersionLabel,
        content_hash AS ContentHash, canonical_content AS CanonicalContent, approved_at AS ApprovedAt,
        published_at AS PublishedAt, approval_basis AS ApprovalBasis, approvals_json AS ApprovalsJson
        """;

    public Release ToRelease() => new()
    {
        ReleaseId = ReleaseId,
        GuidelineId = GuidelineId,
        RevisionNumber = (int)RevisionNumber,
        VersionLabel = VersionLabel,
        ContentHash = ContentHash,
        CanonicalContent = CanonicalContent,
        ApprovedAt = ApprovedAt,
        PublishedAt = PublishedAt,
        ApprovalBasis = ApprovalBasis,
        Approvals = JsonSerializer.Deserialize<List<RevisionApproval>>(ApprovalsJson) ?? [],
    };
}
