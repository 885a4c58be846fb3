using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Threading.Channels;
using AlkPlatform.Guidelines.Storage;
using AlkPlatform.Recommendations.Telemetry;
using Grpc.Core;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace AlkPlatform.Recommendations.EvaluationLogs;

/// <summary>
/// The only writer of evaluation logs: it takes every evaluation waiting in a bounded queue, commits them in one SQLite
/// transaction with reused prepared statements, and only then releases their answers. A full queue refuses the call
/// (ResourceExhausted) rather than answering without a record. On shutdown it drains the queue before returning.
/// </summary>
public sealed class GroupCommitLogWriter : IHostedService, IDisposable
{
    private const int JournalSizeLimitBytes = 64 << 20;
    private const string DeadlineExceededMessage = "The call's deadline passed before its evaluation was recorded; the answer was withheld.";

    private readonly Channel<PendingEvaluationLog> _queue;
    private readonly SqliteDatabase _database;
    private readonly EvaluationLogOptions _options;
    private readonly ILogger<GroupCommitLogWriter> _logger;
    private readonly EvaluationLogMetrics _metrics;
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
        _metrics = new EvaluationLogMetrics(meters, () => QueueDepth);
    }

    /// <summary>Records waiting for the writer (not counting the batch being committed).</summary>
    public int QueueDepth => _queue.Reader.Count;

    /// <summary>
    /// <c>PRAGMA synchronous</c> as SQLite reports it on the writer's own connection once it runs (2 = FULL: each batch's
    /// commit is on disk before its answers are released); 0 until then.
    /// </summary>
    public int SynchronousLevel { get; private set; }

    /// <summary>Why the latest commit failed, with its time; null once a commit succeeds again (or none has failed).</summary>
    public string? LastFailure { get; private set; }

    /// <summary>Calls refused because their record could not be taken, per caller and reason, since start.</summary>
    public LogRefusalCounter Refusals => _metrics.Refusals;

    /// <summary>Queues the record; the task completes when it is committed. Throws ResourceExhausted when the queue is full.</summary>
    public Task Append(PendingEvaluationLog entry)
    {
        if (_queue.Writer.TryWrite(entry))
        {
            return entry.Task;
        }
        _metrics.Refusals.Count(entry.Caller, _stopping ? LogRefusalReason.Stopped : LogRefusalReason.QueueFull);
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
        var checkpointer = new WalCheckpointer(_database, _logger);
        var writerDone = _writerDone.Token;
        _checkpointer = Task.Factory.StartNew(() => checkpointer.RunUntil(writerDone), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
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
                _metrics.Refusals.Count(orphan.Caller, LogRefusalReason.Stopped);
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
            if (_options.MaxDatabaseBytes > 0)
            {
                pragmas.CommandText = "PRAGMA page_size;";
                var pageSize = Convert.ToInt64(pragmas.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
                pragmas.CommandText = $"PRAGMA max_page_count={Math.Max(1, _options.MaxDatabaseBytes / pageSize)};";
                pragmas.ExecuteNonQuery();
            }
            pragmas.CommandText = "PRAGMA synchronous;";
            SynchronousLevel = Convert.ToInt32(pragmas.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        }
        try
        {
            await CommitBatchesAsync(connection).ConfigureAwait(false);
        }
        finally
        {
            // The connection goes back to the pool: other users get SQLite's defaults again.
            using var reset = connection.CreateCommand();
            reset.CommandText = "PRAGMA wal_autocheckpoint=1000; PRAGMA cache_size=-2000; PRAGMA max_page_count=4294967294;";
            reset.ExecuteNonQuery();
        }
    }

    private async Task CommitBatchesAsync(SqliteConnection connection)
    {
        using var statements = new LogInsertStatements(connection);
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
            // One span per group commit, not per call: the calls' own spans end once this commit releases them.
            using var activity = RecommendationsActivities.Source.StartActivity("evaluation_log.commit");
            activity?.SetTag("db.system.name", "sqlite");
            activity?.SetTag("db.operation.name", "INSERT");
            activity?.SetTag("db.collection.name", "evaluation_logs");
            activity?.SetTag("db.operation.batch.size", batch.Count);
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
                // Checked once the write lock is held: the wait for it is where a slow disk or another writer spends a deadline.
                var now = DateTime.UtcNow;
                var expired = 0;
                for (var i = 0; i < batch.Count; i++)
                {
                    if (batch[i].Deadline <= now && batch[i].StatusCode == 0)
                    {
                        encoded[i].Withhold(StatusCode.DeadlineExceeded, DeadlineExceededMessage);
                        expired++;
                    }
                }
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
                LastFailure = null;
                _metrics.CommitDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
                activity?.SetTag("alk.evaluation_log.deadline_expired", expired);
                _metrics.BatchSize.Record(batch.Count);
                _metrics.Written.Add(batch.Count);
                for (var i = 0; i < batch.Count; i++)
                {
                    if (expired > 0 && encoded[i].StatusCode == (int)StatusCode.DeadlineExceeded && batch[i].StatusCode == 0)
                    {
                        batch[i].TrySetException(new RpcException(new Status(StatusCode.DeadlineExceeded, DeadlineExceededMessage)));
                    }
                    else
                    {
                        batch[i].TrySetResult();
                    }
                }
            }
            catch (Exception ex)
            {
                // Whatever went wrong with this batch, its callers get a definite refusal and the writer carries on.
                activity.RecordFailure(ex);
                _logger.LogError(ex, "Committing {Count} evaluation log records failed; their answers are withheld", batch.Count);
                LastFailure = $"{DateTimeOffset.UtcNow:O}: {(ex is SqliteException sqlite ? $"SQLite error {sqlite.SqliteErrorCode}: {sqlite.Message}" : ex.Message)}";
                var failure = new RpcException(new Status(StatusCode.Unavailable, "The evaluation could not be recorded; the answer was withheld."));
                foreach (var entry in batch)
                {
                    _metrics.Refusals.Count(entry.Caller, LogRefusalReason.WriteFailed);
                    entry.TrySetException(failure);
                }
                statements.CardSetsRolledBack();
                try
                {
                    nextSeq = statements.MaxSeq() + 1;
                }
                catch (SqliteException)
                {
                    // Unreadable as well (an I/O error): the rolled-back batch took no numbers, so nextSeq still holds.
                }
            }
            batch.Clear();
        }
    }

    public void Dispose()
    {
        // Cancelled, not disposed: the checkpointer thread may still be waiting on its handle.
        _writerDone.Cancel();
        _metrics.Dispose();
    }
}
