using System.Data;
using System.Text.Json;
using AlkPlatform.Guidelines.Releases;
using AlkPlatform.Guidelines.Releases.Signing;
using AlkPlatform.Guidelines.Storage;
using AlkPlatform.Recommendations.Telemetry;
using Dapper;
using Microsoft.Data.Sqlite;

namespace AlkPlatform.Recommendations.Releases;

/// <summary>
/// The recommendation service's record of what it served: the content of every release (for replays), every signed event
/// it activated (append-only) and the active one per guideline, so it restarts on the last good release.
/// </summary>
public sealed class ReleaseStore(SqliteDatabase database)
{
    private const string ActivationColumns =
        """
        a.activation_id AS ActivationId, a.guideline_id AS GuidelineId, a.kind AS Kind, a.release_id AS ReleaseId,
        a.revision_number AS RevisionNumber, a.sequence AS Sequence, a.key_id AS KeyId, a.envelope AS Envelope,
        a.signature AS Signature, a.activated_at AS ActivatedAt
        """;

    /// <summary>Stores a release's content (the embedded seed, a benchmark revision) without any signed event.</summary>
    public void SaveRelease(Release release)
    {
        ArgumentNullException.ThrowIfNull(release);
        using var activity = StartWrite("release_store.save_release", release.GuidelineId, release.ReleaseId);
        using var connection = database.OpenConnection();
        using var transaction = connection.BeginTransaction();
        SaveContent(connection, transaction, release, DateTimeOffset.UtcNow);
        transaction.Commit();
    }

    /// <summary>
    /// Appends the verified event, stores its release's content, and makes it the guideline's active event, in one
    /// transaction: after a crash the service holds either all of it or none.
    /// </summary>
    public StoredActivation SaveActivation(VerifiedReleaseEvent verified, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(verified);
        var envelope = verified.Envelope;
        using var activity = StartWrite("release_store.save_activation", envelope.GuidelineId, envelope.ReleaseId);
        using var connection = database.OpenConnection();
        using var transaction = connection.BeginTransaction();
        if (verified.Release is { } release)
        {
            SaveContent(connection, transaction, release, now);
        }
        var id = connection.ExecuteScalar<long>(
            """
            INSERT INTO release_activations (guideline_id, kind, release_id, revision_number, sequence, key_id, envelope, signature, activated_at)
            VALUES (@GuidelineId, @Kind, @ReleaseId, @RevisionNumber, @Sequence, @KeyId, @Envelope, @Signature, @Now)
            RETURNING activation_id
            """,
            new
            {
                envelope.GuidelineId,
                Kind = KindName(envelope.Kind),
                envelope.ReleaseId,
                envelope.RevisionNumber,
                envelope.Sequence,
                verified.Event.KeyId,
                Envelope = verified.Event.Envelope.ToArray(),
                Signature = verified.Event.Signature.ToArray(),
                Now = now,
            },
            transaction);
        connection.Execute(
            """
            INSERT INTO active_release_events (guideline_id, activation_id) VALUES (@GuidelineId, @id)
            ON CONFLICT (guideline_id) DO UPDATE SET activation_id = excluded.activation_id
            """,
            new { envelope.GuidelineId, id },
            transaction);
        transaction.Commit();
        return new StoredActivation(id, envelope.GuidelineId, envelope.Kind, envelope.ReleaseId, envelope.RevisionNumber, envelope.Sequence,
            verified.Event, now);
    }

    /// <summary>The guideline's active signed event, retirements included; null if none was ever activated.</summary>
    public StoredActivation? FindActive(string guidelineId)
    {
        using var connection = database.OpenConnection();
        return connection.QuerySingleOrDefault<ActivationRow>(
            $"""
            SELECT {ActivationColumns}
            FROM active_release_events e JOIN release_activations a ON a.activation_id = e.activation_id
            WHERE e.guideline_id = @guidelineId
            """, new { guidelineId })?.ToActivation();
    }

    /// <summary>Every guideline's active signed event, by guideline id.</summary>
    public IReadOnlyList<StoredActivation> LoadActive()
    {
        using var connection = database.OpenConnection();
        return [.. connection.Query<ActivationRow>(
            $"""
            SELECT {ActivationColumns}
            FROM active_release_events e JOIN release_activations a ON a.activation_id = e.activation_id
            ORDER BY e.guideline_id
            """).Select(row => row.ToActivation())];
    }

    /// <summary>Every activated event, oldest first; only <paramref name="guidelineId"/>'s when given.</summary>
    public IReadOnlyList<StoredActivation> ListActivations(string? guidelineId = null)
    {
        using var connection = database.OpenConnection();
        return [.. connection.Query<ActivationRow>(
            $"""
            SELECT {ActivationColumns}
            FROM release_activations a
            WHERE @guidelineId IS NULL OR a.guideline_id = @guidelineId
            ORDER BY a.activation_id
            """, new { guidelineId }).Select(row => row.ToActivation())];
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

    /// <summary>
    /// Writes the release's row; a row already there under this id is overwritten, because the release being activated has
    /// just been verified and the stored bytes may not have been (a damaged or edited file).
    /// </summary>
    private static void SaveContent(SqliteConnection connection, IDbTransaction transaction, Release release, DateTimeOffset now) =>
        connection.Execute(
            """
            INSERT INTO releases (release_id, guideline_id, revision_number, version_label, content_hash, canonical_content,
                                  approved_at, published_at, approval_basis, approvals_json, received_at)
            VALUES (@ReleaseId, @GuidelineId, @RevisionNumber, @VersionLabel, @ContentHash, @Content,
                    @ApprovedAt, @PublishedAt, @ApprovalBasis, @ApprovalsJson, @Now)
            ON CONFLICT (release_id) DO UPDATE SET
                guideline_id = excluded.guideline_id, revision_number = excluded.revision_number, version_label = excluded.version_label,
                content_hash = excluded.content_hash, canonical_content = excluded.canonical_content, approved_at = excluded.approved_at,
                published_at = excluded.published_at, approval_basis = excluded.approval_basis, approvals_json = excluded.approvals_json
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

    /// <summary>A span for one durable write transaction of this store (null when nobody listens).</summary>
    private static System.Diagnostics.Activity? StartWrite(string name, string guidelineId, string releaseId)
    {
        var activity = RecommendationsActivities.Source.StartActivity(name);
        activity?.SetTag("db.system.name", "sqlite");
        activity?.SetTag("db.operation.name", "INSERT");
        activity?.SetTag("alk.guideline.id", guidelineId);
        activity?.SetTag("alk.release.id", releaseId);
        return activity;
    }

    private static string KindName(ReleaseEventKind kind) => kind.ToString().ToLowerInvariant();

    private sealed record ActivationRow(
        long ActivationId, string GuidelineId, string Kind, string ReleaseId, long RevisionNumber, long Sequence, string KeyId,
        byte[] Envelope, byte[] Signature, DateTimeOffset ActivatedAt)
    {
        public StoredActivation ToActivation() => new(
            ActivationId, GuidelineId, Enum.Parse<ReleaseEventKind>(Kind, ignoreCase: true), ReleaseId, (int)RevisionNumber, Sequence,
            new SignedReleaseEvent(Envelope, KeyId, Signature), ActivatedAt);
    }
}
