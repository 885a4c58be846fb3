using System.Text.Json;
using AlkPlatform.Guidelines.Releases;
using AlkPlatform.Guidelines.Storage;
using Dapper;

namespace AlkPlatform.Recommendations.Releases;

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
                release.ApprovedAt,
                release.PublishedAt,
                release.ApprovalBasis,
                ApprovalsJson = JsonSerializer.Serialize(release.Approvals),
                Now = now,
            },
            transaction);
        connection.Execute(
            """
            INSERT INTO active_releases (guideline_id, release_id, activated_at) VALUES (@GuidelineId, @ReleaseId, @Now)
            ON CONFLICT (guideline_id) DO UPDATE SET release_id = excluded.release_id, activated_at = excluded.activated_at;
            DELETE FROM retired_guidelines WHERE guideline_id = @GuidelineId;
            """,
            new { release.GuidelineId, release.ReleaseId, Now = now },
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
            new { guidelineId, reason, retiredAt },
            transaction);
        transaction.Commit();
    }

    public IReadOnlyList<Release> LoadActive()
    {
        using var connection = database.OpenConnection();
        return [.. connection.Query<ReleaseRow>(
            $"""
            SELECT {ReleaseRow.Columns}
            FROM releases WHERE release_id IN (SELECT release_id FROM active_releases)
            ORDER BY guideline_id
            """).Select(row => row.ToRelease())];
    }

    public Release? Find(string releaseId)
    {
        using var connection = database.OpenConnection();
        return connection.QuerySingleOrDefault<ReleaseRow>(
            $"""
            SELECT {ReleaseRow.Columns}
            FROM releases WHERE release_id = @releaseId
            """, new { releaseId })?.ToRelease();
    }

    public IReadOnlyList<RetiredGuideline> LoadRetired()
    {
        using var connection = database.OpenConnection();
        return [.. connection.Query<(string GuidelineId, string Reason, DateTimeOffset RetiredAt)>(
                "SELECT guideline_id, reason, retired_at FROM retired_guidelines ORDER BY guideline_id")
            .Select(r => new RetiredGuideline(r.GuidelineId, r.Reason, r.RetiredAt))];
    }
}
