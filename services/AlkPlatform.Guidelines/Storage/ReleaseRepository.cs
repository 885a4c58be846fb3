using System.Text.Json;
using AlkPlatform.Guidelines.Releases;
using Dapper;
using Microsoft.Data.Sqlite;

namespace AlkPlatform.Guidelines.Storage;

/// <summary>The releases cut from revisions (immutable once written) and the pointer to each guideline's live one.</summary>
public sealed class ReleaseRepository
{
    private readonly SqliteConnection _connection;
    private readonly SqliteTransaction _transaction;

    internal ReleaseRepository(SqliteTransaction transaction)
    {
        _transaction = transaction;
        _connection = transaction.Connection!;
    }

    public void Insert(Release release) =>
        _connection.Execute(
            """
            INSERT INTO releases (release_id, guideline_id, revision_number, version_label, content_hash, canonical_content,
                                  approved_at, published_at, approval_basis, approvals_json)
            VALUES (@ReleaseId, @GuidelineId, @RevisionNumber, @VersionLabel, @ContentHash, @Content,
                    @ApprovedAt, @PublishedAt, @ApprovalBasis, @ApprovalsJson)
            """,
            new
            {
                release.ReleaseId, release.GuidelineId, release.RevisionNumber, release.VersionLabel, release.ContentHash,
                Content = release.CanonicalContent.ToArray(),
                release.ApprovedAt,
                release.PublishedAt,
                release.ApprovalBasis,
                ApprovalsJson = JsonSerializer.Serialize(release.Approvals),
            }, _transaction);

    public Release? Find(string guidelineId, int revisionNumber) =>
        _connection.QuerySingleOrDefault<ReleaseRow>(
            $"SELECT {ReleaseRow.Columns} FROM releases WHERE guideline_id = @guidelineId AND revision_number = @revisionNumber",
            new { guidelineId, revisionNumber }, _transaction)?.ToRelease();

    public Release? FindById(string releaseId) =>
        _connection.QuerySingleOrDefault<ReleaseRow>(
            $"SELECT {ReleaseRow.Columns} FROM releases WHERE release_id = @releaseId", new { releaseId }, _transaction)?.ToRelease();

    public IReadOnlyList<Release> List(string guidelineId) =>
        [.. _connection.Query<ReleaseRow>(
            $"SELECT {ReleaseRow.Columns} FROM releases WHERE guideline_id = @guidelineId ORDER BY revision_number",
            new { guidelineId }, _transaction).Select(r => r.ToRelease())];

    public Release? FindLive(string guidelineId) =>
        _connection.QuerySingleOrDefault<ReleaseRow>(
            $"SELECT {ReleaseRow.Columns} FROM releases WHERE release_id = (SELECT release_id FROM live_releases WHERE guideline_id = @guidelineId)",
            new { guidelineId }, _transaction)?.ToRelease();

    /// <summary>The live release of every guideline that has one, ordered by guideline id.</summary>
    public IReadOnlyList<Release> ListLive() =>
        [.. _connection.Query<ReleaseRow>(
            $"SELECT {ReleaseRow.Columns} FROM releases WHERE release_id IN (SELECT release_id FROM live_releases) ORDER BY guideline_id",
            transaction: _transaction).Select(r => r.ToRelease())];

    /// <summary>Each guideline's live pointer as stored (guideline id → release id), whether or not the release it names exists.</summary>
    public IReadOnlyDictionary<string, string> ListLivePointers() =>
        _connection.Query<(string GuidelineId, string ReleaseId)>("SELECT guideline_id, release_id FROM live_releases", transaction: _transaction)
            .ToDictionary(p => p.GuidelineId, p => p.ReleaseId, StringComparer.Ordinal);

    /// <summary>Every stored release's content hash by release id.</summary>
    public IReadOnlyDictionary<string, string> ListContentHashes() =>
        _connection.Query<(string ReleaseId, string ContentHash)>("SELECT release_id, content_hash FROM releases", transaction: _transaction)
            .ToDictionary(r => r.ReleaseId, r => r.ContentHash, StringComparer.Ordinal);

    public int? LiveRevisionNumber(string guidelineId) =>
        _connection.QuerySingleOrDefault<long?>(
            """
            SELECT r.revision_number FROM live_releases l JOIN releases r ON r.release_id = l.release_id
            WHERE l.guideline_id = @guidelineId
            """, new { guidelineId }, _transaction) is { } n ? (int)n : null;

    /// <summary>Points the guideline at a release; one row per guideline, so only one revision is ever live.</summary>
    public void SetLive(string guidelineId, string releaseId, DateTimeOffset at) =>
        _connection.Execute(
            """
            INSERT INTO live_releases (guideline_id, release_id, since) VALUES (@guidelineId, @releaseId, @at)
            ON CONFLICT (guideline_id) DO UPDATE SET release_id = excluded.release_id, since = excluded.since;
            UPDATE guidelines SET retired_at = NULL, retired_reason = NULL WHERE guideline_id = @guidelineId;
            """, new { guidelineId, releaseId, at }, _transaction);

    public void ClearLive(string guidelineId) =>
        _connection.Execute("DELETE FROM live_releases WHERE guideline_id = @guidelineId", new { guidelineId }, _transaction);
}
