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

    private sealed record SaveRow(long SaveNumber, string SavedById, string SavedByName, DateTimeOffset SavedAt, byte[] Content)
    {
        public RevisionSave ToSave() => new(SaveNumber, SavedById, SavedByName, SavedAt, GuidelineJson.Parse(Content));
    }
}
