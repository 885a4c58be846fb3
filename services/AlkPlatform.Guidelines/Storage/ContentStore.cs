using System.Globalization;
using System.Text.Json;
using AlkPlatform.Guidelines.Content;
using AlkPlatform.Guidelines.Releases;
using AlkPlatform.Guidelines.Workflow;
using Dapper;
using Microsoft.Data.Sqlite;

namespace AlkPlatform.Guidelines.Storage;

/// <summary>
/// The portal's content store: guidelines, revisions with their save history, releases and the live pointer.
/// Writers pass the transaction of the action they belong to; readers open their own connection.
/// </summary>
public sealed class ContentStore
{
    private const string RevisionColumns =
        """
        guideline_id AS GuidelineId, revision_number AS Number, state AS State, content AS Content, content_hash AS ContentHash,
        submitted_hash AS SubmittedHash, based_on AS BasedOn, author_id AS AuthorId, author_name AS AuthorName,
        created_at AS CreatedAt, row_version AS RowVersion, last_saved_by_id AS LastSavedById,
        last_saved_by_name AS LastSavedByName, last_saved_at AS LastSavedAt, state_changed_at AS StateChangedAt,
        scheduled_go_live AS ScheduledGoLive
        """;

    public SqliteDatabase Database { get; }
    public ReviewRepository Reviews { get; }
    public AuditTrail Audit { get; }

    private ContentStore(SqliteDatabase database)
    {
        Database = database;
        Reviews = new ReviewRepository(database);
        Audit = new AuditTrail(database);
    }

    /// <summary>Opens (creating and migrating if needed) the content database; a fresh one is seeded with the bundled guideline.</summary>
    public static ContentStore Open(string path, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        var store = new ContentStore(SqliteDatabase.Open(path, SqliteDatabase.ContentScripts));
        store.SeedIfEmpty(time.GetUtcNow());
        return store;
    }

    /// <summary>Runs <paramref name="work"/> in one write transaction (taken immediately, so checks and writes see one state).</summary>
    public T Write<T>(Func<SqliteTransaction, T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        using var connection = Database.OpenConnection();
        using var transaction = connection.BeginTransaction(deferred: false);
        var result = work(transaction);
        transaction.Commit();
        return result;
    }

    // ---- guidelines

    public static void InsertGuideline(SqliteTransaction tx, string guidelineId, string title, DateTimeOffset at) =>
        tx.Connection!.Execute(
            "INSERT INTO guidelines (guideline_id, title, created_at) VALUES (@guidelineId, @title, @at)",
            new { guidelineId, title, at = Format(at) }, tx);

    public static bool GuidelineExists(SqliteTransaction tx, string guidelineId) =>
        tx.Connection!.ExecuteScalar<long>("SELECT COUNT(*) FROM guidelines WHERE guideline_id = @guidelineId", new { guidelineId }, tx) > 0;

    public static void MarkRetired(SqliteTransaction tx, string guidelineId, string? reason, DateTimeOffset? at) =>
        tx.Connection!.Execute(
            "UPDATE guidelines SET retired_at = @at, retired_reason = @reason WHERE guideline_id = @guidelineId",
            new { guidelineId, reason, at = at is { } a ? Format(a) : null }, tx);

    public IReadOnlyList<GuidelineSummary> ListGuidelines()
    {
        using var connection = Database.OpenConnection();
        return [.. connection.Query<(string Id, string Title, long Latest, long? LiveRevision, string? LiveReleaseId, string? RetiredAt, string? RetiredReason)>(
            """
            SELECT g.guideline_id, g.title,
                   (SELECT MAX(revision_number) FROM revisions r WHERE r.guideline_id = g.guideline_id),
                   rel.revision_number, l.release_id, g.retired_at, g.retired_reason
            FROM guidelines g
            LEFT JOIN live_releases l ON l.guideline_id = g.guideline_id
            LEFT JOIN releases rel ON rel.release_id = l.release_id
            ORDER BY g.guideline_id
            """).Select(r => new GuidelineSummary(r.Id, r.Title, (int)r.Latest, r.LiveRevision is { } n ? (int)n : null, r.LiveReleaseId,
                r.RetiredAt is { } at ? Parse(at) : null, r.RetiredReason))];
    }

    // ---- revisions

    public static Revision? FindRevision(SqliteTransaction tx, string guidelineId, int number) =>
        tx.Connection!.QuerySingleOrDefault<RevisionRow>(
            $"SELECT {RevisionColumns} FROM revisions WHERE guideline_id = @guidelineId AND revision_number = @number",
            new { guidelineId, number }, tx)?.ToRevision();

    public Revision? FindRevision(string guidelineId, int number)
    {
        using var connection = Database.OpenConnection();
        return connection.QuerySingleOrDefault<RevisionRow>(
            $"SELECT {RevisionColumns} FROM revisions WHERE guideline_id = @guidelineId AND revision_number = @number",
            new { guidelineId, number })?.ToRevision();
    }

    public IReadOnlyList<Revision> ListRevisions(string guidelineId)
    {
        using var connection = Database.OpenConnection();
        return [.. connection.Query<RevisionRow>(
            $"SELECT {RevisionColumns} FROM revisions WHERE guideline_id = @guidelineId ORDER BY revision_number",
            new { guidelineId }).Select(r => r.ToRevision())];
    }

    public IReadOnlyList<Revision> ListScheduled(DateTimeOffset dueBy)
    {
        using var connection = Database.OpenConnection();
        return [.. connection.Query<RevisionRow>(
            $"""
            SELECT {RevisionColumns} FROM revisions
            WHERE state = @state AND scheduled_go_live IS NOT NULL AND scheduled_go_live <= @dueBy
            ORDER BY scheduled_go_live, guideline_id, revision_number
            """,
            new { state = nameof(RevisionState.Approved), dueBy = Format(dueBy) }).Select(r => r.ToRevision())];
    }

    public static int NextRevisionNumber(SqliteTransaction tx, string guidelineId) =>
        (int)tx.Connection!.ExecuteScalar<long>(
            "SELECT COALESCE(MAX(revision_number), 0) + 1 FROM revisions WHERE guideline_id = @guidelineId", new { guidelineId }, tx);

    /// <summary>Inserts a new revision at row version 1 and records that first save.</summary>
    public static Revision InsertRevision(
        SqliteTransaction tx, string guidelineId, int number, RevisionState state, GuidelineContent content, int? basedOn,
        Actor author, DateTimeOffset at)
    {
        var canonical = GuidelineJson.ToCanonicalUtf8(content);
        var hash = GuidelineJson.ComputeHash(canonical);
        tx.Connection!.Execute(
            """
            INSERT INTO revisions (guideline_id, revision_number, state, content, content_hash, based_on, author_id, author_name,
                                   created_at, row_version, last_saved_by_id, last_saved_by_name, last_saved_at, state_changed_at)
            VALUES (@guidelineId, @number, @state, @canonical, @hash, @basedOn, @authorId, @authorName,
                    @at, 1, @authorId, @authorName, @at, @at);
            INSERT INTO revision_saves (guideline_id, revision_number, row_version, saved_by_id, saved_by_name, saved_at, content)
            VALUES (@guidelineId, @number, 1, @authorId, @authorName, @at, @canonical);
            """,
            new { guidelineId, number, state = state.ToString(), canonical, hash, basedOn, authorId = author.Id, authorName = author.Name, at = Format(at) },
            tx);
        return FindRevision(tx, guidelineId, number)!;
    }

    /// <summary>Replaces a draft's content if it is still at <paramref name="expectedRowVersion"/>; false when someone saved since.</summary>
    public static bool UpdateDraftContent(
        SqliteTransaction tx, string guidelineId, int number, long expectedRowVersion, GuidelineContent content, Actor actor, DateTimeOffset at)
    {
        var canonical = GuidelineJson.ToCanonicalUtf8(content);
        var hash = GuidelineJson.ComputeHash(canonical);
        var parameters = new
        {
            guidelineId, number, expectedRowVersion, next = expectedRowVersion + 1, canonical, hash,
            actorId = actor.Id, actorName = actor.Name, at = Format(at), draft = nameof(RevisionState.Draft),
        };
        var updated = tx.Connection!.Execute(
            """
            UPDATE revisions SET content = @canonical, content_hash = @hash, row_version = @next,
                   last_saved_by_id = @actorId, last_saved_by_name = @actorName, last_saved_at = @at
            WHERE guideline_id = @guidelineId AND revision_number = @number AND row_version = @expectedRowVersion AND state = @draft
            """, parameters, tx);
        if (updated == 0)
        {
            return false;
        }
        tx.Connection!.Execute(
            """
            INSERT INTO revision_saves (guideline_id, revision_number, row_version, saved_by_id, saved_by_name, saved_at, content)
            VALUES (@guidelineId, @number, @next, @actorId, @actorName, @at, @canonical)
            """, parameters, tx);
        return true;
    }

    public static void SetState(SqliteTransaction tx, string guidelineId, int number, RevisionState state, DateTimeOffset at) =>
        tx.Connection!.Execute(
            """
            UPDATE revisions SET state = @state, state_changed_at = @at,
                   scheduled_go_live = CASE WHEN @state = 'Approved' THEN scheduled_go_live ELSE NULL END
            WHERE guideline_id = @guidelineId AND revision_number = @number
            """,
            new { guidelineId, number, state = state.ToString(), at = Format(at) }, tx);

    /// <summary>Freezes the revision: from here its hash is what reviewers review and approvers sign.</summary>
    public static void Freeze(SqliteTransaction tx, string guidelineId, int number, string hash, DateTimeOffset at) =>
        tx.Connection!.Execute(
            """
            UPDATE revisions SET state = @state, submitted_hash = @hash, state_changed_at = @at
            WHERE guideline_id = @guidelineId AND revision_number = @number
            """,
            new { guidelineId, number, hash, state = nameof(RevisionState.Submitted), at = Format(at) }, tx);

    public static void SetScheduledGoLive(SqliteTransaction tx, string guidelineId, int number, DateTimeOffset? goLiveAt) =>
        tx.Connection!.Execute(
            "UPDATE revisions SET scheduled_go_live = @goLiveAt WHERE guideline_id = @guidelineId AND revision_number = @number",
            new { guidelineId, number, goLiveAt = goLiveAt is { } g ? Format(g) : null }, tx);

    /// <summary>The canonical bytes stored for a revision, read raw so publish can re-hash exactly what is on disk.</summary>
    public static byte[] ReadStoredContent(SqliteTransaction tx, string guidelineId, int number) =>
        tx.Connection!.ExecuteScalar<byte[]>(
            "SELECT content FROM revisions WHERE guideline_id = @guidelineId AND revision_number = @number", new { guidelineId, number }, tx)
        ?? throw new InvalidOperationException($"revision {number} of '{guidelineId}' has no content");

    public static RevisionSave? FindSave(SqliteTransaction tx, string guidelineId, int number, long rowVersion) =>
        tx.Connection!.QuerySingleOrDefault<SaveRow>(
            """
            SELECT row_version AS RowVersion, saved_by_id AS SavedById, saved_by_name AS SavedByName, saved_at AS SavedAt, content AS Content
            FROM revision_saves WHERE guideline_id = @guidelineId AND revision_number = @number AND row_version = @rowVersion
            """, new { guidelineId, number, rowVersion }, tx)?.ToSave();

    /// <summary>Everyone who saved the revision's content: none of them may review or approve it.</summary>
    public static IReadOnlySet<string> Editors(SqliteTransaction tx, string guidelineId, int number) =>
        tx.Connection!.Query<string>(
            "SELECT DISTINCT saved_by_id FROM revision_saves WHERE guideline_id = @guidelineId AND revision_number = @number",
            new { guidelineId, number }, tx).ToHashSet(StringComparer.Ordinal);

    // ---- releases and the live pointer

    public static void InsertRelease(SqliteTransaction tx, Release release) =>
        tx.Connection!.Execute(
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
                ApprovedAt = Format(release.ApprovedAt),
                PublishedAt = Format(release.PublishedAt),
                release.ApprovalBasis,
                ApprovalsJson = JsonSerializer.Serialize(release.Approvals),
            }, tx);

    public static Release? FindRelease(SqliteTransaction tx, string guidelineId, int revisionNumber) =>
        tx.Connection!.QuerySingleOrDefault<ReleaseRow>(
            $"SELECT {ReleaseRow.Columns} FROM releases WHERE guideline_id = @guidelineId AND revision_number = @revisionNumber",
            new { guidelineId, revisionNumber }, tx)?.ToRelease();

    public IReadOnlyList<Release> ListReleases(string guidelineId)
    {
        using var connection = Database.OpenConnection();
        return [.. connection.Query<ReleaseRow>(
            $"SELECT {ReleaseRow.Columns} FROM releases WHERE guideline_id = @guidelineId ORDER BY revision_number",
            new { guidelineId }).Select(r => r.ToRelease())];
    }

    public Release? FindLiveRelease(string guidelineId)
    {
        using var connection = Database.OpenConnection();
        return connection.QuerySingleOrDefault<ReleaseRow>(
            $"SELECT {ReleaseRow.Columns} FROM releases WHERE release_id = (SELECT release_id FROM live_releases WHERE guideline_id = @guidelineId)",
            new { guidelineId })?.ToRelease();
    }

    public static int? LiveRevisionNumber(SqliteTransaction tx, string guidelineId) =>
        tx.Connection!.QuerySingleOrDefault<long?>(
            """
            SELECT r.revision_number FROM live_releases l JOIN releases r ON r.release_id = l.release_id
            WHERE l.guideline_id = @guidelineId
            """, new { guidelineId }, tx) is { } n ? (int)n : null;

    /// <summary>Points the guideline at a release; one row per guideline, so only one revision is ever live.</summary>
    public static void SetLive(SqliteTransaction tx, string guidelineId, string releaseId, DateTimeOffset at) =>
        tx.Connection!.Execute(
            """
            INSERT INTO live_releases (guideline_id, release_id, since) VALUES (@guidelineId, @releaseId, @at)
            ON CONFLICT (guideline_id) DO UPDATE SET release_id = excluded.release_id, since = excluded.since;
            UPDATE guidelines SET retired_at = NULL, retired_reason = NULL WHERE guideline_id = @guidelineId;
            """, new { guidelineId, releaseId, at = Format(at) }, tx);

    public static void ClearLive(SqliteTransaction tx, string guidelineId) =>
        tx.Connection!.Execute("DELETE FROM live_releases WHERE guideline_id = @guidelineId", new { guidelineId }, tx);

    public IReadOnlyList<Release> LoadLiveReleases()
    {
        using var connection = Database.OpenConnection();
        return [.. connection.Query<ReleaseRow>(
            $"SELECT {ReleaseRow.Columns} FROM releases WHERE release_id IN (SELECT release_id FROM live_releases) ORDER BY guideline_id")
            .Select(r => r.ToRelease())];
    }

    public IReadOnlyList<RetiredGuideline> LoadRetired()
    {
        using var connection = Database.OpenConnection();
        return [.. connection.Query<(string GuidelineId, string? Reason, string RetiredAt)>(
                "SELECT guideline_id, retired_reason, retired_at FROM guidelines WHERE retired_at IS NOT NULL ORDER BY guideline_id")
            .Select(r => new RetiredGuideline(r.GuidelineId, r.Reason ?? "", Parse(r.RetiredAt)))];
    }

    // ---- seed

    /// <summary>A fresh store starts with the bundled seed as revision 1, live, released exactly as the service bundles it.</summary>
    private void SeedIfEmpty(DateTimeOffset now) => Write(tx =>
    {
        if (tx.Connection!.ExecuteScalar<long>("SELECT COUNT(*) FROM guidelines", transaction: tx) > 0)
        {
            return 0;
        }
        var release = BundledSeedRelease.Create();
        var content = release.Verify();
        var bootstrap = Actor.Bootstrap;
        InsertGuideline(tx, content.GuidelineId, content.Title, release.PublishedAt);
        var revision = InsertRevision(tx, content.GuidelineId, 1, RevisionState.Live, content, null, bootstrap, release.PublishedAt);
        tx.Connection!.Execute(
            "UPDATE revisions SET submitted_hash = content_hash WHERE guideline_id = @GuidelineId AND revision_number = 1",
            new { content.GuidelineId }, tx);
        ReviewRepository.InsertApproval(tx, content.GuidelineId, 1,
            new RevisionApproval(bootstrap.Id, bootstrap.Name, release.ApprovedAt, BundledSeedRelease.ApprovalBasis, release.ContentHash));
        InsertRelease(tx, release);
        SetLive(tx, content.GuidelineId, release.ReleaseId, release.PublishedAt);
        AuditTrail.Append(tx, new AuditRecord(bootstrap, AuditActions.BootstrapSeeded, content.GuidelineId, 1, revision.ContentHash,
            $"{BundledSeedRelease.ApprovalBasis}; release {release.ReleaseId}"), now);
        return 1;
    });

    internal static string Format(DateTimeOffset at) => at.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    internal static DateTimeOffset Parse(string at) => DateTimeOffset.Parse(at, CultureInfo.InvariantCulture);

    private sealed record RevisionRow(
        string GuidelineId, long Number, string State, byte[] Content, string ContentHash, string? SubmittedHash, long? BasedOn,
        string AuthorId, string AuthorName, string CreatedAt, long RowVersion, string LastSavedById, string LastSavedByName,
        string LastSavedAt, string StateChangedAt, string? ScheduledGoLive)
    {
        public Revision ToRevision() => new()
        {
            GuidelineId = GuidelineId,
            Number = (int)Number,
            State = Enum.Parse<RevisionState>(State),
            Content = GuidelineJson.Parse(Content),
            ContentHash = ContentHash,
            SubmittedHash = SubmittedHash,
            BasedOn = BasedOn is { } b ? (int)b : null,
            AuthorId = AuthorId,
            AuthorName = AuthorName,
            CreatedAt = Parse(CreatedAt),
            RowVersion = RowVersion,
            LastSavedById = LastSavedById,
            LastSavedByName = LastSavedByName,
            LastSavedAt = Parse(LastSavedAt),
            StateChangedAt = Parse(StateChangedAt),
            ScheduledGoLive = ScheduledGoLive is { } s ? Parse(s) : null,
        };
    }

    private sealed record SaveRow(long RowVersion, string SavedById, string SavedByName, string SavedAt, byte[] Content)
    {
        public RevisionSave ToSave() => new(RowVersion, SavedById, SavedByName, Parse(SavedAt), GuidelineJson.Parse(Content));
    }
}
