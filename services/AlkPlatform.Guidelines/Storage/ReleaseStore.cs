using System.Text.Json;
using AlkPlatform.Guidelines.Releases;
using Dapper;

namespace AlkPlatform.Guidelines.Storage;

/// <summary>The recommendation service's record of the releases it serves, so it restarts on the last good one.</summary>
public sealed class ReleaseStore(SqliteDatabase database)
{
    /// <summary>Stores the release (if new) and makes it the active one for its guideline, in one transaction.</summary>
    public void SaveAndActivate(Release release, DateTimeOffset now)
    {
        using var connection = database.OpenConnection();
        using var transaction = connection.BeginTransaction();
        connection.Execute(
            """
            INSERT INTO releases (release_id, guideline_id, revision_number, version_label, content_hash, canonical_content,
                                  approved_at, published_at, approval_basis, approvals_json, received_at)
            VALUES (@ReleaseId, @GuidelineId, @RevisionNumber, @VersionLabel, @ContentHash, @Content,
                    @ApprovedAt, @PublishedAt, @ApprovalBasis, @ApprovalsJson, @Now)
            ON CONFLICT (release_id) DO NOTHING
            """,
            new
            {
                release.ReleaseId,
                release.GuidelineId,
                release.RevisionNumber,
                release.VersionLabel,
                release.ContentHash,
                Content = release.CanonicalContent.ToArray(),
                ApprovedAt = release.ApprovedAt.ToString("O"),
                PublishedAt = release.PublishedAt.ToString("O"),
                release.ApprovalBasis,
                ApprovalsJson = JsonSerializer.Serialize(release.Approvals),
                Now = now.ToString("O"),
            },
            transaction);
        connection.Execute(
            """
            INSERT INTO active_releases (guideline_id, release_id, activated_at) VALUES (@GuidelineId, @ReleaseId, @Now)
            ON CONFLICT (guideline_id) DO UPDATE SET release_id = excluded.release_id, activated_at = excluded.activated_at;
            DELETE FROM retired_guidelines WHERE guideline_id = @GuidelineId;
            """,
            new { release.GuidelineId, release.ReleaseId, Now = now.ToString("O") },
            transaction);
        transaction.Commit();
    }

    public void Retire(string guidelineId, string reason, DateTimeOffset retiredAt)
    {
        using var connection = database.OpenConnection();
        using var transaction = connection.BeginTransaction();
        connection.Execute(
            """
            DELETE FROM active_releases WHERE guideline_id = @guidelineId;
            INSERT INTO retired_guidelines (guideline_id, reason, retired_at) VALUES (@guidelineId, @reason, @retiredAt)
            ON CONFLICT (guideline_id) DO UPDATE SET reason = excluded.reason, retired_at = excluded.retired_at;
            """,
            new { guidelineId, reason, retiredAt = retiredAt.ToString("O") },
            transaction);
        transaction.Commit();
    }

    public IReadOnlyList<Release> LoadActive()
    {
        using var connection = database.OpenConnection();
        return [.. connection.Query<ReleaseRow>(
            """
            SELECT r.release_id AS ReleaseId, r.guideline_id AS GuidelineId, r.revision_number AS RevisionNumber,
                   r.version_label AS VersionLabel, r.content_hash AS ContentHash, r.canonical_content AS CanonicalContent,
                   r.approved_at AS ApprovedAt, r.published_at AS PublishedAt, r.approval_basis AS ApprovalBasis,
                   r.approvals_json AS ApprovalsJson
            FROM active_releases a JOIN releases r ON r.release_id = a.release_id
            ORDER BY a.guideline_id
            """).Select(row => row.ToRelease())];
    }

    public Release? Find(string releaseId)
    {
        using var connection = database.OpenConnection();
        return connection.QuerySingleOrDefault<ReleaseRow>(
            """
            SELECT release_id AS ReleaseId, guideline_id AS GuidelineId, revision_number AS RevisionNumber,
                   version_label AS VersionLabel, content_hash AS ContentHash, canonical_content AS CanonicalContent,
                   approved_at AS ApprovedAt, published_at AS PublishedAt, approval_basis AS ApprovalBasis,
                   approvals_json AS ApprovalsJson
            FROM releases WHERE release_id = @releaseId
            """, new { releaseId })?.ToRelease();
    }

    public IReadOnlyList<RetiredGuideline> LoadRetired()
    {
        using var connection = database.OpenConnection();
        return [.. connection.Query<(string GuidelineId, string Reason, string RetiredAt)>(
                "SELECT guideline_id, reason, retired_at FROM retired_guidelines ORDER BY guideline_id")
            .Select(r => new RetiredGuideline(r.GuidelineId, r.Reason, DateTimeOffset.Parse(r.RetiredAt, System.Globalization.CultureInfo.InvariantCulture)))];
    }

    private sealed record ReleaseRow(
        string ReleaseId, string GuidelineId, long RevisionNumber, string VersionLabel, string ContentHash, byte[] CanonicalContent,
        string ApprovedAt, string PublishedAt, string ApprovalBasis, string ApprovalsJson)
    {
        public Release ToRelease() => new()
        {
            ReleaseId = ReleaseId,
            GuidelineId = GuidelineId,
            RevisionNumber = (int)RevisionNumber,
            VersionLabel = VersionLabel,
            ContentHash = ContentHash,
            CanonicalContent = CanonicalContent,
            ApprovedAt = DateTimeOffset.Parse(ApprovedAt, System.Globalization.CultureInfo.InvariantCulture),
            PublishedAt = DateTimeOffset.Parse(PublishedAt, System.Globalization.CultureInfo.InvariantCulture),
            ApprovalBasis = ApprovalBasis,
            Approvals = JsonSerializer.Deserialize<List<ReleaseApproval>>(ApprovalsJson) ?? [],
        };
    }
}

public sealed record RetiredGuideline(string GuidelineId, string Reason, DateTimeOffset RetiredAt);
