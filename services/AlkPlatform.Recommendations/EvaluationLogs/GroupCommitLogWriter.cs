using System.Diagnostics;
using System.Text;
using System.Diagnostics.Metrics;
using System.Threading.Channels;
using AlkPlatform.Guidelines.Storage;
using Grpc.Core;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using SQLitePCL;

namespace AlkPlatform.Recommendations.EvaluationLogs;

/// <summary>
/// The only writer of evaluation logs: it takes every evaluation waiting in a bounded queue, commits them in one SQLite
/// transaction with reused prepared statements, and only then releases their answers. A full queue refuses the call
/// (ResourceExhausted) rather than answering without a record. On shutdown it drains the queue before returning.
/// </summary>
public sealed class GroupCommitLogWriter : IHostedService, IDisposable
{
    public const string MeterName = "AlkPlatform.EvaluationLogs";

    private readonly Channel<PendingEvaluationLog> _queue;
    private readonly SqliteDatabase _database;
    private readonly EvaluationLogOptions _options;
    private readonly ILogger<GroupCommitLogWriter> _logger;
    private readonly Meter _meter;
    private readonly Counter<long> _refusals;
    private readonly Counter<long> _written;
    private readonly Histogram<int> _batchSize;
    private readonly Histogram<double> _commitMilliseconds;
    private readonly CancellationTokenSource _writerDone = new();
    private Task? _loop;
    private Task? _checkpointer;
    private volatile bool _stopping;

    public GroupCommitLogWriter(SqliteDatabase database, IOptions<EvaluationLogOptions> options, IMeterFactory meters, ILogger<GroupCommitLogWriter> logger)
    {
        _database = database;
        _options = options.Value;
        _logger = logger;
        _queue = Channel.CreateBounded<PendingEvaluationLog>(new BoundedChannelOptions(Math.Max(1, _options.QueueCapacity))
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _meter = meters.Create(MeterName);
        _meter.CreateObservableGauge("alk.evaluation_log.queue_depth", () => QueueDepth, "{evaluation}",
            "Evaluations waiting for the log writer");
        _refusals = _meter.CreateCounter<long>("alk.evaluation_log.refusals", "{call}",
            "Calls refused because the evaluation log could not take their record");
        _written = _meter.CreateCounter<long>("alk.evaluation_log.records", "{record}", "Log records committed");
        _batchSize = _meter.CreateHistogram<int>("alk.evaluation_log.batch_size", "{record}", "Records per commit");
        _commitMilliseconds = _meter.CreateHistogram<double>("alk.evaluation_log.commit_duration", "ms",
            "Time to write and commit one batch");
    }

    /// <summary>Records waiting for the writer (not counting the batch being committed).</summary>
    public int QueueDepth => _queue.Reader.Count;

    /// <summary>Queues the record; the task completes when it is committed. Throws ResourceExhausted when the queue is full.</summary>
    public Task Append(PendingEvaluationLog entry)
    {
        if (_queue.Writer.TryWrite(entry))
        {
            return entry.Task;
        }
        _refusals.Add(1);
        if (_stopping)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, "The service is shutting down; the answer was withheld because it could not be recorded."));
        }
        throw new RpcException(new Status(StatusCode.ResourceExhausted,
            "The evaluation log is full; the answer was withheld because it could not be recorded. Retry shortly."));
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _loop = Task.Factory.StartNew(RunAsync, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
        // A dedicated thread: checkpoints block on page copies and fsyncs, which must not tie up the gRPC thread pool.
        _checkpointer = Task.Factory.StartNew(CheckpointUntilWriterDone, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        return Task.CompletedTask;
    }

    /// <summary>Runs after the server has stopped taking calls: everything queued is committed before the process exits.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping = true;
        _queue.Writer.TryComplete();
        if (_loop is not null)
        {
            await _loop.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        if (_checkpointer is not null)
        {
            await _checkpointer.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task RunAsync()
    {
        try
        {
            await CommitUntilCompletedAsync().ConfigureAwait(false);
        }
        finally
        {
            _writerDone.Cancel();
            // If the writer itself dies, nothing may wait forever: refuse new calls and fail the queued ones.
            _stopping = true;
            _queue.Writer.TryComplete();
            var failure = new RpcException(new Status(StatusCode.Unavailable, "The evaluation log writer stopped; the answer was withheld."));
            while (_queue.Reader.TryRead(out var orphan))
            {
                orphan.TrySetException(failure);
            }
        }
    }

    private async Task CommitUntilCompletedAsync()
    {
        using var connection = _database.OpenConnection();
        using (var pragmas = connection.CreateCommand())
        {
            // Checkpoints (page copies and fsyncs) run on the checkpointer's connection, never inside a commit callers wait on.
            pragmas.CommandText = $"PRAGMA wal_autocheckpoint=0; PRAGMA cache_size=-16384; PRAGMA journal_size_limit={JournalSizeLimitBytes};";
            pragmas.ExecuteNonQuery();
        }
        try
        {
            await CommitBatchesAsync(connection).ConfigureAwait(false);
        }
        finally
        {
            // The connection goes back to the pool: other users get SQLite's defaults again.
            using var reset = connection.CreateCommand();
            reset.CommandText = "PRAGMA wal_autocheckpoint=1000; PRAGMA cache_size=-2000;";
            reset.ExecuteNonQuery();
        }
    }

    private async Task CommitBatchesAsync(SqliteConnection connection)
    {
        using var statements = new InsertStatements(connection);
        using var encoder = new EvaluationLogEncoder(_options);
        var nextSeq = statements.MaxSeq() + 1;
        var batch = new List<PendingEvaluationLog>(_options.MaxBatchSize);
        var encoded = new List<EncodedEvaluationLog>(_options.MaxBatchSize);
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (batch.Count < _options.MaxBatchSize && reader.TryRead(out var entry))
            {
                batch.Add(entry);
            }
            var started = Stopwatch.GetTimestamp();
            try
            {
                for (var i = 0; i < batch.Count; i++)
                {
                    if (encoded.Count <= i)
                    {
                        encoded.Add(new EncodedEvaluationLog());
                    }
                    encoder.Encode(batch[i], encoded[i]);
                }
                statements.Begin();
                try
                {
                    for (var i = 0; i < batch.Count; i++)
                    {
                        statements.Insert(batch[i], encoded[i], nextSeq + i);
                    }
                    statements.Commit();
                }
                catch
                {
                    statements.Rollback();
                    throw;
                }
                statements.CardSetsCommitted();
                nextSeq += batch.Count;
                _commitMilliseconds.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                _batchSize.Record(batch.Count);
                _written.Add(batch.Count);
                foreach (var entry in batch)
                {
                    entry.TrySetResult();
                }
            }
            catch (Exception ex)
            {
                // Whatever went wrong with this batch, its callers get a definite refusal and the writer carries on.
                _logger.LogError(ex, "Committing {Count} evaluation log records failed; their answers are withheld", batch.Count);
                var failure = new RpcException(new Status(StatusCode.Unavailable, "The evaluation could not be recorded; the answer was withheld."));
                foreach (var entry in batch)
                {
                    entry.TrySetException(failure);
                }
                nextSeq = statements.MaxSeq() + 1;
                statements.CardSetsRolledBack();
            }
            batch.Clear();
        }
    }

    /// <summary>WAL frames (pages) after which the checkpointer restarts the log rather than letting it grow.</summary>
    private const int RestartWalFrames = 4096;
    private const int JournalSizeLimitBytes = 64 << 20;
    private static readonly TimeSpan CheckpointInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Keeps the WAL short from its own connection: a PASSIVE checkpoint (never waits, never blocks the writer) every
    /// interval, and a RESTART once the log is long, which holds the writer only for the frames PASSIVE had not copied yet.
    /// </summary>
    private void CheckpointUntilWriterDone()
    {
        var writerDone = _writerDone.Token;
        SqliteConnection? connection = null;
        try
        {
            connection = _database.OpenConnection();
            using var command = connection.CreateCommand();
            // RESTART holds the write lock while it waits for readers: give up quickly and retry on the next tick instead.
            command.CommandText = "PRAGMA busy_timeout=20;";
            command.ExecuteNonQuery();
            while (!writerDone.WaitHandle.WaitOne(CheckpointInterval))
            {
                try
                {
                    var frames = Checkpoint(command, "PASSIVE");
                    if (frames >= RestartWalFrames)
                    {
                        Checkpoint(command, "RESTART");
                    }
                }
                catch (SqliteException ex)
                {
                    // A failed checkpoint costs only WAL length; the next tick tries again.
                    _logger.LogWarning(ex, "Evaluation log checkpoint failed; retrying");
                }
            }
            // The writer has drained and stopped: leave the database file complete and the WAL empty.
            command.CommandText = "PRAGMA busy_timeout=5000;";
            command.ExecuteNonQuery();
            Checkpoint(command, "TRUNCATE");
        }
        catch (SqliteException ex)
        {
            _logger.LogError(ex, "The evaluation log checkpointer stopped; SQLite replays or checkpoints the WAL on next open");
        }
        finally
        {
            connection?.Dispose();
        }
    }

    /// <summary>Runs one checkpoint and returns the WAL's length in frames.</summary>
    private static long Checkpoint(SqliteCommand command, string mode)
    {
        command.CommandText = $"PRAGMA wal_checkpoint({mode});";
        using var reader = command.ExecuteReader();
        return reader.Read() ? reader.GetInt64(1) : 0;
    }

    public void Dispose()
    {
        // Cancelled, not disposed: the checkpointer thread may still be waiting on its handle.
        _writerDone.Cancel();
        _meter.Dispose();
    }

    /// <summary>
    /// The inserts, prepared once on the writer's connection and re-bound per row by index with UTF-8 spans through
    /// SQLite's own API: no parameter-name lookups, no per-value objects or UTF-16 to UTF-8 copies on the heap.
    /// </summary>
    private sealed class InsertStatements : IDisposable
    {
        private readonly sqlite3 _db;
        private readonly sqlite3_stmt _begin, _commit, _rollback, _log, _findCardSet, _insertCardSet, _insertMember;
        private readonly SqliteCommand _maxSeq;
        private readonly CardSetCache _cardSets = new();
        private readonly Bindings _logBindings;
        private byte[] _utf8 = new byte[1024];

        public InsertStatements(SqliteConnection connection)
        {
            _db = connection.Handle!;
            _begin = Prepare("BEGIN IMMEDIATE");
            _commit = Prepare("COMMIT");
            _rollback = Prepare("ROLLBACK");
            _log = Prepare(
                """
                INSERT INTO evaluation_logs (seq, evaluation_id, occurred_at_ms, method, caller, guideline_id, release_id,
                    revision_number, content_hash, audience, input_json, cards_json, rules_fired, missing_facts, severity_mask,
                    status_code, status_message, latency_us, trace_id, masked_fields, card_set_id)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21)
                """);
            _logBindings = new Bindings(this, _log, 21);
            _findCardSet = Prepare("SELECT card_set_id FROM evaluation_card_sets WHERE cards_json = ?1");
            _insertCardSet = Prepare("INSERT INTO evaluation_card_sets (cards_json) VALUES (?1)");
            _insertMember = Prepare("INSERT OR IGNORE INTO evaluation_card_set_members (card_id, card_set_id, severity) VALUES (?1, ?2, ?3)");
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
            Check(raw.sqlite3_bind_int64(s, 1, seq));
            b.Text(2, entry.EvaluationId);
            b.Int(3, entry.OccurredAtMs);
            b.Int(4, (int)entry.Method);
            b.Text(5, entry.Caller);
            b.Text(6, encoded.GuidelineId);
            b.Text(7, encoded.ReleaseId);
            b.Int(8, encoded.RevisionNumber);
            b.Text(9, encoded.ContentHash);
            b.Int(10, encoded.Audience);
            b.Utf8(11, encoded.InputJson.WrittenSpan);
            // A record with a card set stores its cards once, in the set; readers take them from there.
            var cardSet = CardSetOf(encoded);
            b.Utf8(12, cardSet == 0 ? encoded.CardsJson.WrittenSpan : []);
            b.Utf8(13, encoded.RulesFired.WrittenSpan);
            b.Utf8(14, encoded.MissingFacts.WrittenSpan);
            b.Int(15, encoded.SeverityMask);
            b.Int(16, entry.StatusCode);
            b.Text(17, entry.StatusMessage);
            b.Int(18, entry.LatencyUs);
            b.Text(19, entry.TraceId);
            b.Utf8(20, encoded.MaskedFields.WrittenSpan);
            b.Int(21, cardSet);
            Run(s);
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
            _begin.Dispose();
            _commit.Dispose();
            _rollback.Dispose();
            _maxSeq.Dispose();
        }
    }

    /// <summary>
    /// The log insert's parameters, re-bound only when a value differs from the previous row's: SQLite keeps bindings
    /// across <c>sqlite3_reset</c>, and consecutive records mostly share their release, caller, status and many of their
    /// JSON columns, so most of the ~20 binds per row (each a P/Invoke, a UTF-8 copy and an SQLite copy) are skipped.
    /// Each parameter is always bound the same way (integer, string or UTF-8), and its value is remembered only once
    /// SQLite has accepted it.
    /// </summary>
    private sealed class Bindings(InsertStatements owner, sqlite3_stmt statement, int count)
    {
        /// <summary>UTF-8 values longer than this are bound every time rather than kept for comparison.</summary>
        private const int MaxRemembered = 4096;

        private readonly string?[] _text = new string?[count + 1];
        private readonly long?[] _int = new long?[count + 1];
        private readonly byte[]?[] _utf8 = new byte[]?[count + 1];
        private readonly int[] _utf8Length = new int[count + 1];

        public void Int(int index, long value)
        {
            if (_int[index] == value)
            {
                return;
            }
            _int[index] = null;
            owner.Check(raw.sqlite3_bind_int64(statement, index, value));
            _int[index] = value;
        }

        public void Text(int index, string value)
        {
            if (string.Equals(_text[index], value, StringComparison.Ordinal))
            {
                return;
            }
            _text[index] = null;
            owner.BindText(statement, index, value);
            _text[index] = value;
        }

        public void Utf8(int index, ReadOnlySpan<byte> value)
        {
            var buffer = _utf8[index];
            if (buffer is not null && value.SequenceEqual(buffer.AsSpan(0, _utf8Length[index])))
            {
                return;
            }
            _utf8[index] = null;
            owner.BindUtf8(statement, index, value);
            if (value.Length <= MaxRemembered)
            {
                if (buffer is null || buffer.Length < value.Length)
                {
                    buffer = new byte[Math.Max(value.Length, 64)];
                }
                value.CopyTo(buffer);
                _utf8[index] = buffer;
                _utf8Length[index] = value.Length;
            }
        }
    }

    /// <summary>
    /// Card sets by their cards JSON, held by the writer's thread only. Sets found or stored in the batch being written
    /// are pending until it commits, so a rolled-back batch never leaves an id in the cache that the database lacks.
    /// Looked up by the encoded span itself (no copy per record); a key is copied only when it is added.
    /// </summary>
    private sealed class CardSetCache
    {
        private const int MaxEntries = 4096;
        private readonly Dictionary<byte[], long> _committed = new(Utf8KeyComparer.Instance);
        private readonly Dictionary<byte[], long> _pending = new(Utf8KeyComparer.Instance);
        private readonly Dictionary<byte[], long>.AlternateLookup<ReadOnlySpan<byte>> _committedBySpan;
        private readonly Dictionary<byte[], long>.AlternateLookup<ReadOnlySpan<byte>> _pendingBySpan;

        public CardSetCache()
        {
            _committedBySpan = _committed.GetAlternateLookup<ReadOnlySpan<byte>>();
            _pendingBySpan = _pending.GetAlternateLookup<ReadOnlySpan<byte>>();
        }

        public bool TryGet(ReadOnlySpan<byte> json, out long id) =>
            _committedBySpan.TryGetValue(json, out id) || _pendingBySpan.TryGetValue(json, out id);

        public void AddPending(ReadOnlySpan<byte> json, long id) => _pendingBySpan[json] = id;

        public void CommitPending()
        {
            if (_committed.Count + _pending.Count > MaxEntries)
            {
                // Sets accumulate across releases; the database keeps them all, the cache only the recent ones.
                _committed.Clear();
            }
            foreach (var (json, id) in _pending)
            {
                _committed[json] = id;
            }
            _pending.Clear();
        }

        public void DiscardPending() => _pending.Clear();
    }

    /// <summary>Byte-array keys compared by content, and looked up by a span of bytes without copying it.</summary>
    private sealed class Utf8KeyComparer : IEqualityComparer<byte[]>, IAlternateEqualityComparer<ReadOnlySpan<byte>, byte[]>
    {
        public static readonly Utf8KeyComparer Instance = new();

        public bool Equals(byte[]? x, byte[]? y) => x is null ? y is null : y is not null && x.AsSpan().SequenceEqual(y);

        public int GetHashCode(byte[] key) => GetHashCode((ReadOnlySpan<byte>)key);

        public bool Equals(ReadOnlySpan<byte> alternate, byte[] other) => alternate.SequenceEqual(other);

        public int GetHashCode(ReadOnlySpan<byte> alternate)
        {
            var hash = new HashCode();
            hash.AddBytes(alternate);
            return hash.ToHashCode();
        }

        public byte[] Create(ReadOnlySpan<byte> alternate) => alternate.ToArray();
    }
}
