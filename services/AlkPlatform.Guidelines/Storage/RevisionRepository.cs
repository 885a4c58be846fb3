using AlkPlatform.Guidelines.Content;
using AlkPlatform.Guidelines.Workflow;
using Dapper;
using Microsoft.Data.Sqlite;

namespace AlkPlatform.Guidelines.Storage;

/// <summary>Revisions of guidelines and every save of their drafts.</summary>
public sealed class RevisionRepository
{
    private const string Columns =
        """
        guideline_id AS GuidelineId, revision_number AS Number, state AS State, content AS Content, content_hash AS ContentHash,
        submitted_hash AS SubmittedHash, based_on AS BasedOn, author_id AS AuthorId, author_name AS AuthorName,
        created_at AS CreatedAt, save_number AS SaveNumber, last_saved_by_id AS LastSavedById,
        last_saved_by_name AS LastSavedByName, last_saved_at AS LastSavedAt, state_changed_at AS StateChangedAt,
        scheduled_go_live AS ScheduledGoLive
        """;

    private readonly SqliteConnection _connection;
    private readonly SqliteTransaction _transaction;

    internal RevisionRepository(SqliteTransaction transaction)
    {
        _transaction = transaction;
        _connection = transaction.Connection!;
    }

    public Revision? Find(string guidelineId, int number) =>
        _connection.QuerySingleOrDefault<Row>(
            $"SELECT {Columns} FROM revisions WHERE guideline_id = @guidelineId AND revision_number = @number",
            new { guidelineId, number }, _transaction)?.ToRevision();

    public IReadOnlyList<Revision> List(string guidelineId) =>
        [.. _connection.Query<Row>(
            $"SELECT {Columns} FROM revisions WHERE guideline_id = @guidelineId ORDER BY revision_number",
            new { guidelineId }, _transaction).Select(r => r.ToRevision())];

    /// <summary>Approved revisions whose scheduled go-live is at or before <paramref name="dueBy"/>, earliest first.</summary>
    public IReadOnlyList<Revision> ListScheduled(DateTimeOffset dueBy) =>
        [.. _connection.Query<Row>(
            $"""
            SELECT {Columns} FROM revisions
            WHERE state = @state AND scheduled_go_live IS NOT NULL AND scheduled_go_live <= @dueBy
            ORDER BY scheduled_go_live, guideline_id, revision_number
            """,
            new { state = nameof(RevisionState.Approved), dueBy }, _transaction).Select(r => r.ToRevision())];

    public int NextNumber(string guidelineId) =>
        (int)_connection.ExecuteScalar<long>(
            "SELECT COALESCE(MAX(revision_number), 0) + 1 FROM revisions WHERE guideline_id = @guidelineId", new { guidelineId }, _transaction);

    /// <summary>Inserts a new revision at save number 1 and records that first save.</summary>
    public Revision Insert(
        string guidelineId, int number, RevisionState state, GuidelineContent content, int? basedOn, Actor author, DateTimeOffset at)
    {
        var canonical = GuidelineJson.ToCanonicalUtf8(content);
        var hash = GuidelineJson.ComputeHash(canonical);
        _connection.Execute(
            """
            INSERT INTO revisions (guideline_id, revision_number, state, content, content_hash, based_on, author_id, author_name,
                                   created_at, save_number, last_saved_by_id, last_saved_by_name, last_saved_at, state_changed_at)
            VALUES (@guidelineId, @number, @state, @canonical, @hash, @basedOn, @authorId, @authorName,
                    @at, 1, @authorId, @authorName, @at, @at);
            INSERT INTO revision_saves (guideline_id, revision_number, save_number, saved_by_id, saved_by_name, saved_at, content)
            VALUES (@guidelineId, @number, 1, @authorId, @authorName, @at, @canonical);
            """,
            new { guidelineId, number, state = state.ToString(), canonical, hash, basedOn, authorId = author.Id, authorName = author.Name, at },
            _transaction);
        return Find(guidelineId, number)!;
    }

    /// <summary>Replaces a draft's content if it is still at <paramref name="expectedSaveNumber"/>; false when someone saved since.</summary>
    public bool UpdateDraftContent(
        string guidelineId, int number, long expectedSaveNumber, GuidelineContent content, Actor actor, DateTimeOffset at)
    {
        var canonical = GuidelineJson.ToCanonicalUtf8(content);
        var hash = GuidelineJson.ComputeHash(canonical);
        var parameters = new
        {
            guidelineId, number, expectedSaveNumber, next = expectedSaveNumber + 1, canonical, hash,
            actorId = actor.Id, actorName = actor.Name, at, draft = nameof(RevisionState.Draft),
        };
        var updated = _connection.Execute(
            """
            UPDATE revisions SET content = @canonical, content_hash = @hash, save_number = @next,
                   last_saved_by_id = @actorId, last_saved_by_name = @actorName, last_saved_at = @at
            WHERE guideline_id = @guidelineId AND revision_number = @number AND save_number = @expectedSaveNumber AND state = @draft
            """, parameters, _transaction);
        if (updated == 0)
        {
            return false;
        }
        _connection.Execute(
            """
            INSERT INTO revision_saves (guideline_id, revision_number, save_number, saved_by_id, saved_by_name, saved_at, content)
            VALUES (@guidelineId, @number, @next, @actorId, @actorName, @at, @canonical)
            """, parameters, _transaction);
        return true;
    }

    /// <summary>Moves the revision to <paramref name="state"/>; a scheduled go-live survives only while it stays Approved.</summary>
    public void SetState(string guidelineId, int number, RevisionState state, DateTimeOffset at) =>
        _connection.Execute(
            """
            UPDATE revisions SET state = @state, state_changed_at = @at,
                   scheduled_go_live = CASE WHEN @state = 'Approved' THEN scheduled_go_live ELSE NULL END
            WHERE guideline_id = @guidelineId AND revision_number = @number
            """,
            new { guidelineId, number, state = state.ToString(), at }, _transaction);

    /// <summary>Freezes the revision: from here its hash is what reviewers review and approvers sign.</summary>
    public void Freeze(string guidelineId, int number, string hash, DateTimeOffset at) =>
        _connection.Execute(
            """
            UPDATE revisions SET state = @state, submitted_hash = @hash, state_changed_at = @at
            WHERE guideline_id = @guidelineId AND revision_number = @number
            """,
            new { guidelineId, number, hash, state = nameof(RevisionState.Submitted), at }, _transaction);

    /// <summary>Records the frozen hash without a state change, for a revision that arrives already released (the seed).</summary>
    public void RecordSubmittedHash(string guidelineId, int number, string hash) =>
        _connection.Execute(
            "UPDATE revisions SET submitted_hash = @hash WHERE guideline_id = @guidelineId AND revision_number = @number",
            new { guidelineId, number, hash }, _transaction);

    public void SetScheduledGoLive(string guidelineId, int number, DateTimeOffset? goLiveAt) =>
        _connection.Execute(
            "UPDATE revisions SET scheduled_go_live = @goLiveAt WHERE guideline_id = @guidelineId AND revision_number = @number",
            new { guidelineId, number, goLiveAt }, _transaction);

    /// <summary>The canonical bytes stored for a revision, read raw so publish can re-hash exactly what is on disk.</summary>
    public byte[] ReadStoredContent(string guidelineId, int number) =>
        _connection.ExecuteScalar<byte[]>(
            "SELECT content FROM revisions WHERE guideline_id = @guidelineId AND revision_number = @number", new { guidelineId, number }, _transaction)
        ?? throw new InvalidOperationException($"revision {number} of '{guidelineId}' has no content");

    public RevisionSave? FindSave(string guidelineId, int number, long saveNumber) =>
        _connection.QuerySingleOrDefault<SaveRow>(
            """
            SELECT save_number AS SaveNumber, saved_by_id AS SavedById, saved_by_name AS SavedByName, saved_at AS SavedAt, content AS Content
            FROM revision_saves WHERE guideline_id = @guidelineId AND revision_number = @number AND save_number = @saveNumber
            """, new { guidelineId, number, saveNumber }, _transaction)?.ToSave();

    /// <summary>Everyone who saved the revision's content: none of them may review or approve it.</summary>
    public IReadOnlySet<string> Editors(string guidelineId, int number) =>
        _connection.Query<string>(
            "SELECT DISTINCT saved_by_id FROM revision_saves WHERE guideline_id = @guidelineId AND revision_number = @number",
            new { guidelineId, number }, _transaction).ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// The revision and each revision it was copied from (<c>based_on</c>), nearest first, back to but not including the
    /// nearest one that was released: one with a release, or Live, Superseded or Retired. Each with everyone who saved it.
    /// </summary>
    public RevisionLineage Lineage(string guidelineId, int number)
    {
        // Copies always take a higher number than their source, so requiring a lower one ends the walk even on a crafted cycle.
        var chain = _connection.Query<LineageRow>(
            """
            WITH RECURSIVE released (revision_number) AS (
                SELECT revision_number FROM releases WHERE guideline_id = @guidelineId
                UNION
                SELECT revision_number FROM revisions
                WHERE guideline_id = @guidelineId AND state IN ('Live', 'Superseded', 'Retired')
            ),
            lineage (revision_number, based_on, author_id, author_name, depth, is_released) AS (
                SELECT revision_number, based_on, author_id, author_name, 0,
                       revision_number IN (SELECT revision_number FROM released)
                FROM revisions WHERE guideline_id = @guidelineId AND revision_number = @number
                UNION ALL
                SELECT r.revision_number, r.based_on, r.author_id, r.author_name, l.depth + 1,
                       r.revision_number IN (SELECT revision_number FROM released)
                FROM lineage l JOIN revisions r ON r.guideline_id = @guidelineId AND r.revision_number = l.based_on
                WHERE (l.depth = 0 OR l.is_released = 0) AND r.revision_number < l.revision_number
            )
            SELECT revision_number AS Number, based_on AS BasedOn, author_id AS AuthorId, author_name AS AuthorName,
                   depth AS Depth, is_released AS IsReleased
            FROM lineage ORDER BY depth
            """, new { guidelineId, number }, _transaction).ToList();
        if (chain.Count == 0)
        {
            throw new InvalidOperationException($"revision {number} of '{guidelineId}' does not exist");
        }
        var stop = chain.Skip(1).FirstOrDefault(r => r.IsReleased != 0);
        var members = chain.TakeWhile((r, i) => i == 0 || r.IsReleased == 0).ToList();
        var numbers = members.Select(r => r.Number).ToArray();
        var saves = _connection.Query<(long Number, string Id, string Name)>(
            """
            SELECT revision_number, saved_by_id, saved_by_name FROM revision_saves
            WHERE guideline_id = @guidelineId AND revision_number IN @numbers ORDER BY revision_number, save_number
            """, new { guidelineId, numbers }, _transaction).ToLookup(s => s.Number);
        var revisions = members.Select(r =>
        {
            var editors = new Dictionary<string, string>(StringComparer.Ordinal) { [r.AuthorId] = r.AuthorName };
            foreach (var save in saves[r.Number])
            {
                editors[save.Id] = save.Name;
            }
            return new LineageRevision((int)r.Number, r.BasedOn is { } b ? (int)b : null, r.AuthorId, r.AuthorName, editors);
        }).ToList();
        return new RevisionLineage(revisions, stop is null ? null : (int)stop.Number);
    }

    private sealed record Row(
        string GuidelineId, long Number, string State, byte[] Content, string ContentHash, string? SubmittedHash, long? BasedOn,
        string AuthorId, string AuthorName, DateTimeOffset CreatedAt, long SaveNumber, string LastSavedById, string LastSavedByName,
        DateTimeOffset LastSavedAt, DateTimeOffset StateChangedAt, DateTimeOffset? ScheduledGoLive)
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
            CreatedAt = CreatedAt,
            SaveNumber = SaveNumber,
            LastSavedById = LastSavedById,
            LastSavedByName = LastSavedByName,
            LastSavedAt = LastSavedAt,
            StateChangedAt = StateChangedAt,
            ScheduledGoLive = ScheduledGoLive,
        };
    }

    private sealed record LineageRow(long Number, long? BasedOn, string AuthorId, string AuthorName, long Depth, long IsReleased);

    private sealed record SaveRow(long SaveNumber, string SavedById, string SavedByName, DateTimeOffset SavedAt, byte[] Content)
    {
        public RevisionSave ToSave() => new(SaveNumber, SavedById, SavedByName, SavedAt, GuidelineJson.Parse(Content));
    }
}
