using AlkPlatform.Guidelines.Workflow;
using Dapper;
using Microsoft.Data.Sqlite;

namespace AlkPlatform.Guidelines.Storage;

/// <summary>The guidelines themselves: their titles and whether they are retired.</summary>
public sealed class GuidelineRepository
{
    private readonly SqliteConnection _connection;
    private readonly SqliteTransaction _transaction;

    internal GuidelineRepository(SqliteTransaction transaction)
    {
        _transaction = transaction;
        _connection = transaction.Connection!;
    }

    public bool Any() => _connection.ExecuteScalar<long>("SELECT COUNT(*) FROM guidelines", transaction: _transaction) > 0;

    public bool Exists(string guidelineId) =>
        _connection.ExecuteScalar<long>("SELECT COUNT(*) FROM guidelines WHERE guideline_id = @guidelineId", new { guidelineId }, _transaction) > 0;

    public void Insert(string guidelineId, string title, DateTimeOffset at) =>
        _connection.Execute(
            "INSERT INTO guidelines (guideline_id, title, created_at) VALUES (@guidelineId, @title, @at)",
            new { guidelineId, title, at }, _transaction);

    public void MarkRetired(string guidelineId, string reason, DateTimeOffset at) =>
        _connection.Execute(
            "UPDATE guidelines SET retired_at = @at, retired_reason = @reason WHERE guideline_id = @guidelineId",
            new { guidelineId, reason, at }, _transaction);

    public IReadOnlyList<GuidelineSummary> List() =>
        [.. _connection.Query<(string Id, string Title, long Latest, long? LiveRevision, string? LiveReleaseId, DateTimeOffset? RetiredAt, string? RetiredReason)>(
            """
            SELECT g.guideline_id, g.title,
                   (SELECT MAX(revision_number) FROM revisions r WHERE r.guideline_id = g.guideline_id),
                   rel.revision_number, l.release_id, g.retired_at, g.retired_reason
            FROM guidelines g
            LEFT JOIN live_releases l ON l.guideline_id = g.guideline_id
            LEFT JOIN releases rel ON rel.release_id = l.release_id
            ORDER BY g.guideline_id
            """, transaction: _transaction)
            .Select(r => new GuidelineSummary(r.Id, r.Title, (int)r.Latest, r.LiveRevision is { } n ? (int)n : null, r.LiveReleaseId,
                r.RetiredAt, r.RetiredReason))];

    public IReadOnlyList<RetiredGuideline> ListRetired() =>
        [.. _connection.Query<(string GuidelineId, string? Reason, DateTimeOffset RetiredAt)>(
                "SELECT guideline_id, retired_reason, retired_at FROM guidelines WHERE retired_at IS NOT NULL ORDER BY guideline_id",
                transaction: _transaction)
            .Select(r => new RetiredGuideline(r.GuidelineId, r.Reason ?? "", r.RetiredAt))];
}
