using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;
using C = AlkPlatform.Recommendations.EvaluationLogs.EvaluationLogColumn;

namespace AlkPlatform.Recommendations.EvaluationLogs;

/// <summary>
/// The inserts, prepared once on the writer's connection and re-bound per row by index with UTF-8 spans through
/// SQLite's own API: no parameter-name lookups, no per-value objects or UTF-16 to UTF-8 copies on the heap.
/// </summary>
internal sealed class LogInsertStatements : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _begin, _commit, _rollback, _log, _findCardSet, _insertCardSet, _insertMember, _insertAbstention, _insertUnknownTerm;
    private readonly SqliteCommand _maxSeq;
    private readonly CardSetCache _cardSets = new();
    private readonly LogInsertBindings _logBindings;
    private byte[] _utf8 = new byte[1024];

    public LogInsertStatements(SqliteConnection connection)
    {
        _db = connection.Handle!;
        _begin = Prepare("BEGIN IMMEDIATE");
        _commit = Prepare("COMMIT");
        _rollback = Prepare("ROLLBACK");
        _log = Prepare(EvaluationLogTable.InsertSql);
        _logBindings = new LogInsertBindings(this, _log);
        _findCardSet = Prepare("SELECT card_set_id FROM evaluation_card_sets WHERE cards_json = ?1");
        _insertCardSet = Prepare("INSERT INTO evaluation_card_sets (cards_json) VALUES (?1)");
        _insertMember = Prepare("INSERT OR IGNORE INTO evaluation_card_set_members (card_id, card_set_id, severity) VALUES (?1, ?2, ?3)");
        _insertAbstention = Prepare("INSERT INTO evaluation_abstentions (seq, occurred_at_ms, guideline_id, reason, unanswered) VALUES (?1, ?2, ?3, ?4, ?5)");
        _insertUnknownTerm = Prepare("INSERT OR IGNORE INTO evaluation_unknown_terms (term, occurred_at_ms, seq, guideline_id) VALUES (?1, ?2, ?3, ?4)");
        _maxSeq = connection.CreateCommand();
        _maxSeq.CommandText = "SELECT coalesce(max(seq), 0) FROM evaluation_logs";
    }

    public long MaxSeq() => Convert.ToInt64(_maxSeq.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);

    public void Begin() => Run(_begin);

    public void Commit() => Run(_commit);

    /// <summary>Undoes a failed batch; harmless when SQLite already rolled it back.</summary>
    public void Rollback()
    {
        if (raw.sqlite3_get_autocommit(_db) == 0)
        {
            Run(_rollback);
        }
    }

    public void Insert(PendingEvaluationLog entry, EncodedEvaluationLog encoded, long seq)
    {
        var s = _log;
        var b = _logBindings;
        Check(raw.sqlite3_bind_int64(s, (int)C.Seq, seq));
        b.Text(C.EvaluationId, entry.EvaluationId);
        b.Int(C.OccurredAtMs, entry.OccurredAtMs);
        b.Int(C.Method, (int)entry.Method);
        b.Text(C.Caller, entry.Caller);
        b.Text(C.GuidelineId, encoded.GuidelineId);
        b.Text(C.ReleaseId, encoded.ReleaseId);
        b.Int(C.RevisionNumber, encoded.RevisionNumber);
        b.Text(C.ContentHash, encoded.ContentHash);
        b.Int(C.Audience, encoded.Audience);
        b.Utf8(C.InputJson, encoded.InputJson.WrittenSpan);
        // A record with a card set stores its cards once, in the set; readers take them from there.
        var cardSet = CardSetOf(encoded);
        b.Utf8(C.CardsJson, cardSet == 0 ? encoded.CardsJson.WrittenSpan : []);
        b.Utf8(C.RulesFired, encoded.RulesFired.WrittenSpan);
        b.Utf8(C.MissingFacts, encoded.MissingFacts.WrittenSpan);
        b.Int(C.SeverityMask, encoded.SeverityMask);
        b.Int(C.StatusCode, encoded.StatusCode);
        b.Text(C.StatusMessage, encoded.StatusMessage);
        b.Int(C.LatencyUs, entry.LatencyUs);
        b.Text(C.TraceId, entry.TraceId);
        b.Utf8(C.MaskedFields, encoded.MaskedFields.WrittenSpan);
        b.Int(C.CardSetId, cardSet);
        b.Text(C.CallerName, entry.CallerName);
        b.Text(C.ClaimedCaller, entry.ClaimedCaller);
        b.Text(C.Rpc, entry.Rpc);
        b.Text(C.Credential, entry.Credential);
        Run(s);
        if (encoded.Abstention != 0)
        {
            InsertAbstention(entry, encoded, seq);
        }
    }

    /// <summary>An unanswered Ask's row and its unknown terms, in the same transaction as its log record.</summary>
    private void InsertAbstention(PendingEvaluationLog entry, EncodedEvaluationLog encoded, long seq)
    {
        Check(raw.sqlite3_bind_int64(_insertAbstention, 1, seq));
        Check(raw.sqlite3_bind_int64(_insertAbstention, 2, entry.OccurredAtMs));
        BindText(_insertAbstention, 3, encoded.GuidelineId);
        Check(raw.sqlite3_bind_int64(_insertAbstention, 4, encoded.Abstention));
        BindText(_insertAbstention, 5, encoded.Unanswered);
        Run(_insertAbstention);
        foreach (var term in encoded.UnknownTerms)
        {
            BindText(_insertUnknownTerm, 1, term);
            Check(raw.sqlite3_bind_int64(_insertUnknownTerm, 2, entry.OccurredAtMs));
            Check(raw.sqlite3_bind_int64(_insertUnknownTerm, 3, seq));
            BindText(_insertUnknownTerm, 4, encoded.GuidelineId);
            Run(_insertUnknownTerm);
        }
    }

    /// <summary>The id of the record's set of cards (0 for none), stored with its members the first time it is seen.</summary>
    private long CardSetOf(EncodedEvaluationLog encoded)
    {
        if (encoded.Cards.Count == 0)
        {
            return 0;
        }
        var json = encoded.CardsJson.WrittenSpan;
        if (_cardSets.TryGet(json, out var id))
        {
            return id;
        }
        // Not cached: stored by an earlier run, or new. Either way it is inside this batch's transaction.
        BindUtf8(_findCardSet, 1, json);
        var rc = raw.sqlite3_step(_findCardSet);
        id = rc == raw.SQLITE_ROW ? raw.sqlite3_column_int64(_findCardSet, 0) : 0;
        raw.sqlite3_reset(_findCardSet);
        if (rc is not raw.SQLITE_ROW and not raw.SQLITE_DONE)
        {
            SqliteException.ThrowExceptionForRC(rc, _db);
        }
        if (id == 0)
        {
            BindUtf8(_insertCardSet, 1, json);
            Run(_insertCardSet);
            id = raw.sqlite3_last_insert_rowid(_db);
            foreach (var (cardId, severity) in encoded.Cards)
            {
                BindText(_insertMember, 1, cardId);
                Check(raw.sqlite3_bind_int64(_insertMember, 2, id));
                Check(raw.sqlite3_bind_int64(_insertMember, 3, severity));
                Run(_insertMember);
            }
        }
        _cardSets.AddPending(json, id);
        return id;
    }

    /// <summary>The batch committed: sets it stored or looked up are known from now on.</summary>
    public void CardSetsCommitted() => _cardSets.CommitPending();

    /// <summary>The batch rolled back: sets it stored no longer exist.</summary>
    public void CardSetsRolledBack() => _cardSets.DiscardPending();

    private sqlite3_stmt Prepare(string sql)
    {
        Check(raw.sqlite3_prepare_v3(_db, sql, raw.SQLITE_PREPARE_PERSISTENT, out var statement));
        return statement;
    }

    public void BindText(sqlite3_stmt statement, int index, string value)
    {
        var length = Encoding.UTF8.GetMaxByteCount(value.Length);
        if (_utf8.Length < length)
        {
            _utf8 = new byte[Math.Max(length, _utf8.Length * 2)];
        }
        var written = Encoding.UTF8.GetBytes(value, _utf8);
        BindUtf8(statement, index, _utf8.AsSpan(0, written));
    }

    // SQLite copies the bytes (SQLITE_TRANSIENT), so the buffers are free for reuse once bound.
    public void BindUtf8(sqlite3_stmt statement, int index, ReadOnlySpan<byte> utf8) =>
        Check(raw.sqlite3_bind_text(statement, index, utf8));

    private void Run(sqlite3_stmt statement)
    {
        var rc = raw.sqlite3_step(statement);
        // reset reports the step's error again; the statement is ready for the next row either way.
        raw.sqlite3_reset(statement);
        if (rc != raw.SQLITE_DONE)
        {
            SqliteException.ThrowExceptionForRC(rc, _db);
        }
    }

    public void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(rc, _db);
        }
    }

    public void Dispose()
    {
        _log.Dispose();
        _findCardSet.Dispose();
        _insertCardSet.Dispose();
        _insertMember.Dispose();
        _insertAbstention.Dispose();
        _insertUnknownTerm.Dispose();
        _begin.Dispose();
        _commit.Dispose();
        _rollback.Dispose();
        _maxSeq.Dispose();
    }
}
