using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Threading.Channels;
using AlkPlatform.Guidelines.Storage;
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
    private Task? _loop;
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
    }

    private async Task RunAsync()
    {
        try
        {
            await CommitUntilCompletedAsync().ConfigureAwait(false);
        }
        finally
        {
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
                using (var transaction = connection.BeginTransaction())
                {
                    statements.Enlist(transaction);
                    for (var i = 0; i < batch.Count; i++)
                    {
                        statements.Insert(batch[i], encoded[i], nextSeq + i);
                    }
                    transaction.Commit();
                }
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
            }
            batch.Clear();
        }
    }

    public void Dispose() => _meter.Dispose();

    /// <summary>The two inserts, prepared once and re-bound per row.</summary>
    private sealed class InsertStatements : IDisposable
    {
        private readonly SqliteCommand _log;
        private readonly SqliteCommand _card;
        private readonly SqliteCommand _maxSeq;
        private readonly SqliteParameter[] _logParameters;
        private readonly SqliteParameter _cardId, _cardTime, _cardSeq, _cardSeverity;

        public InsertStatements(SqliteConnection connection)
        {
            _log = connection.CreateCommand();
            _log.CommandText =
                """
                INSERT INTO evaluation_logs (seq, evaluation_id, occurred_at_ms, method, caller, guideline_id, release_id,
                    revision_number, content_hash, audience, input_json, cards_json, rules_fired, missing_facts, severity_mask,
                    status_code, status_message, latency_us, trace_id, masked_fields)
                VALUES ($seq, $evaluation_id, $occurred_at_ms, $method, $caller, $guideline_id, $release_id,
                    $revision_number, $content_hash, $audience, $input_json, $cards_json, $rules_fired, $missing_facts, $severity_mask,
                    $status_code, $status_message, $latency_us, $trace_id, $masked_fields)
                """;
            string[] names =
            [
                "$seq", "$evaluation_id", "$occurred_at_ms", "$method", "$caller", "$guideline_id", "$release_id",
                "$revision_number", "$content_hash", "$audience", "$input_json", "$cards_json", "$rules_fired", "$missing_facts",
                "$severity_mask", "$status_code", "$status_message", "$latency_us", "$trace_id", "$masked_fields",
            ];
            _logParameters = new SqliteParameter[names.Length];
            for (var i = 0; i < names.Length; i++)
            {
                // Untyped: each value binds as its own type (integers as INTEGER, strings as TEXT).
                _logParameters[i] = _log.Parameters.AddWithValue(names[i], DBNull.Value);
            }
            _card = connection.CreateCommand();
            _card.CommandText = "INSERT OR IGNORE INTO evaluation_log_cards (card_id, occurred_at_ms, seq, severity) VALUES ($card_id, $occurred_at_ms, $seq, $severity)";
            _cardId = _card.Parameters.Add("$card_id", SqliteType.Text);
            _cardTime = _card.Parameters.Add("$occurred_at_ms", SqliteType.Integer);
            _cardSeq = _card.Parameters.Add("$seq", SqliteType.Integer);
            _cardSeverity = _card.Parameters.Add("$severity", SqliteType.Integer);
            _maxSeq = connection.CreateCommand();
            _maxSeq.CommandText = "SELECT coalesce(max(seq), 0) FROM evaluation_logs";
        }

        public long MaxSeq() => Convert.ToInt64(_maxSeq.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);

        public void Enlist(SqliteTransaction transaction)
        {
            _log.Transaction = transaction;
            _card.Transaction = transaction;
        }

        public void Insert(PendingEvaluationLog entry, EncodedEvaluationLog encoded, long seq)
        {
            var p = _logParameters;
            p[0].Value = seq;
            p[1].Value = entry.EvaluationId;
            p[2].Value = entry.OccurredAtMs;
            p[3].Value = (int)entry.Method;
            p[4].Value = entry.Caller;
            p[5].Value = encoded.GuidelineId;
            p[6].Value = encoded.ReleaseId;
            p[7].Value = encoded.RevisionNumber;
            p[8].Value = encoded.ContentHash;
            p[9].Value = encoded.Audience;
            p[10].Value = encoded.InputJson;
            p[11].Value = encoded.CardsJson;
            p[12].Value = encoded.RulesFired;
            p[13].Value = encoded.MissingFacts;
            p[14].Value = encoded.SeverityMask;
            p[15].Value = entry.StatusCode;
            p[16].Value = entry.StatusMessage;
            p[17].Value = entry.LatencyUs;
            p[18].Value = entry.TraceId;
            p[19].Value = encoded.MaskedFields;
            _log.ExecuteNonQuery();
            foreach (var (cardId, severity) in encoded.Cards)
            {
                _cardId.Value = cardId;
                _cardTime.Value = entry.OccurredAtMs;
                _cardSeq.Value = seq;
                _cardSeverity.Value = severity;
                _card.ExecuteNonQuery();
            }
        }

        public void Dispose()
        {
            _log.Dispose();
            _card.Dispose();
            _maxSeq.Dispose();
        }
    }
}
