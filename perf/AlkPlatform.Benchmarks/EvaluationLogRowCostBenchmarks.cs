using System.Text;
using AlkPlatform.Recommendations.Storage;
using BenchmarkDotNet.Attributes;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace AlkPlatform.Benchmarks;

/// <summary>
/// What one evaluation-log record costs SQLite, by schema, with the writer's technique (raw prepared statements, one
/// transaction per batch of 256, WAL, synchronous=FULL as the service commits) and pre-encoded values, so only the storage differs:
/// <list type="bullet">
/// <item><c>PerCardRows</c>: migrations 0001–0002, one <c>evaluation_log_cards</c> row per returned card (5 here) — the
/// schema before card sets;</item>
/// <item><c>CardSets</c>: every migration (0003 card sets, 0004 partial error index) — what the service writes now;</item>
/// <item><c>RowOnly</c>: the current table with no secondary index at all — the floor for a row per evaluation.</item>
/// </list>
/// Results are per batch of 256; divide by 256 for per record. The database grows across iterations, as in service.
/// </summary>
public class EvaluationLogRowCostBenchmarks
{
    public enum Layout
    {
        PerCardRows,
        CardSets,
        RowOnly,
    }

    private const int Batch = 256;
    private static readonly string[] CardIds = ["avoid-rituximab", "monitor-alk-inhibitor-durability", "rr-alectinib", "consider-lenalidomide", "consider-checkpoint-inhibitors"];
    private static readonly byte[] Input = Encoding.UTF8.GetBytes("""{"audience":"AUDIENCE_CLINICIAN","facts":{"lineOfTherapy":"LINE_OF_THERAPY_RELAPSED_REFRACTORY","cnsInvolvement":"TRI_STATE_NO","weightKg":70}}""");
    private static readonly byte[] CardsJson = Encoding.UTF8.GetBytes("""[{"id":"avoid-rituximab","kind":3,"severity":3,"rules":["R-PITFALL-RITUXIMAB"]},{"id":"monitor-alk-inhibitor-durability","kind":4,"severity":2,"rules":["R-PITFALL-DURABILITY"]},{"id":"rr-alectinib","kind":1,"severity":1,"rules":["R-RR-ALECTINIB"]},{"id":"consider-lenalidomide","kind":2,"severity":1,"rules":["R-LENALIDOMIDE"]},{"id":"consider-checkpoint-inhibitors","kind":2,"severity":1,"rules":["R-CHECKPOINT-INHIBITORS"]}]""");
    private static readonly byte[] Rules = Encoding.UTF8.GetBytes("""["R-PITFALL-RITUXIMAB","R-PITFALL-DURABILITY","R-RR-ALECTINIB","R-LENALIDOMIDE","R-CHECKPOINT-INHIBITORS"]""");
    private static readonly byte[] Missing = Encoding.UTF8.GetBytes("""["alectinib_available","allogeneic_transplant_eligible","chemosensitive_disease"]""");
    private static readonly byte[] Empty = Encoding.UTF8.GetBytes("[]");

    private string _directory = null!;
    private SqliteConnection _connection = null!;
    private sqlite3 _db = null!;
    private sqlite3_stmt _begin = null!, _commit = null!, _log = null!, _card = null!;
    private long _seq;

    [Params(Layout.PerCardRows, Layout.CardSets, Layout.RowOnly)]
    public Layout Schema { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _directory = Directory.CreateTempSubdirectory("alk-bench-rows-").FullName;
        var path = Path.Combine(_directory, "recommendations.db");
        if (Schema == Layout.PerCardRows)
        {
            RecommendationsDatabase.Open(path, RecommendationsDatabase.ScriptPrefix + "0001");
            RecommendationsDatabase.Open(path, RecommendationsDatabase.ScriptPrefix + "0002");
        }
        else
        {
            RecommendationsDatabase.Open(path);
        }
        _connection = new SqliteConnection($"Data Source={path};Pooling=False");
        _connection.Open();
        using (var pragmas = _connection.CreateCommand())
        {
            pragmas.CommandText = "PRAGMA synchronous=FULL; PRAGMA cache_size=-16384;";
            pragmas.ExecuteNonQuery();
            if (Schema == Layout.RowOnly)
            {
                pragmas.CommandText = """
                    DROP INDEX ix_evaluation_logs_time; DROP INDEX ix_evaluation_logs_caller; DROP INDEX ix_evaluation_logs_guideline;
                    DROP INDEX ix_evaluation_logs_release; DROP INDEX ix_evaluation_logs_card_set; DROP INDEX ix_evaluation_logs_errors;
                    """;
                pragmas.ExecuteNonQuery();
            }
            if (Schema != Layout.PerCardRows)
            {
                pragmas.CommandText = $"INSERT INTO evaluation_card_sets (card_set_id, cards_json) VALUES (1, '{Encoding.UTF8.GetString(CardsJson)}')";
                pragmas.ExecuteNonQuery();
            }
        }
        _db = _connection.Handle!;
        _begin = Prepare("BEGIN IMMEDIATE");
        _commit = Prepare("COMMIT");
        _log = Prepare(Schema == Layout.PerCardRows
            ? """
              INSERT INTO evaluation_logs (seq, evaluation_id, occurred_at_ms, method, caller, guideline_id, release_id, revision_number,
                  content_hash, audience, input_json, cards_json, rules_fired, missing_facts, severity_mask, status_code, status_message,
                  latency_us, trace_id, masked_fields)
              VALUES (?1, ?2, ?3, 1, ?4, 'alk-lbcl', 'alk-lbcl@r1-96fdc974687e', 1, '96fdc974687e2233b30865e8981b08a77129bef0e509dd3b636e2c8e0b9b1f62',
                  1, ?5, ?6, ?7, ?8, 14, 0, '', 850, 'c9d0ee1c4efbc4c693e18ec36c36bf6b', '[]')
              """
            : """
              INSERT INTO evaluation_logs (seq, evaluation_id, occurred_at_ms, method, caller, guideline_id, release_id, revision_number,
                  content_hash, audience, input_json, cards_json, rules_fired, missing_facts, severity_mask, status_code, status_message,
                  latency_us, trace_id, masked_fields, card_set_id)
              VALUES (?1, ?2, ?3, 1, ?4, 'alk-lbcl', 'alk-lbcl@r1-96fdc974687e', 1, '96fdc974687e2233b30865e8981b08a77129bef0e509dd3b636e2c8e0b9b1f62',
                  1, ?5, '', ?7, ?8, 14, 0, '', 850, 'c9d0ee1c4efbc4c693e18ec36c36bf6b', '[]', 1)
              """);
        if (Schema == Layout.PerCardRows)
        {
            _card = Prepare("INSERT OR IGNORE INTO evaluation_log_cards (card_id, occurred_at_ms, seq, severity) VALUES (?1, ?2, ?3, 1)");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _begin.Dispose();
        _commit.Dispose();
        _log.Dispose();
        _card?.Dispose();
        _connection.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark]
    public void CommitBatchOf256()
    {
        Run(_begin);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        Span<byte> id = stackalloc byte[36];
        for (var i = 0; i < Batch; i++)
        {
            var seq = ++_seq;
            Guid.CreateVersion7().TryFormat(id, out _);
            raw.sqlite3_bind_int64(_log, 1, seq);
            raw.sqlite3_bind_text(_log, 2, id);
            raw.sqlite3_bind_int64(_log, 3, now);
            raw.sqlite3_bind_text(_log, 4, i % 3 == 0 ? "app-a"u8 : "app-b"u8);
            raw.sqlite3_bind_text(_log, 5, Input);
            if (Schema == Layout.PerCardRows)
            {
                raw.sqlite3_bind_text(_log, 6, CardsJson);
            }
            raw.sqlite3_bind_text(_log, 7, Rules);
            raw.sqlite3_bind_text(_log, 8, i % 2 == 0 ? Missing : Empty);
            Run(_log);
            if (_card is not null)
            {
                foreach (var card in CardIds)
                {
                    raw.sqlite3_bind_text(_card, 1, card);
                    raw.sqlite3_bind_int64(_card, 2, now);
                    raw.sqlite3_bind_int64(_card, 3, seq);
                    Run(_card);
                }
            }
        }
        Run(_commit);
    }

    private sqlite3_stmt Prepare(string sql)
    {
        if (raw.sqlite3_prepare_v3(_db, sql, raw.SQLITE_PREPARE_PERSISTENT, out var statement) != raw.SQLITE_OK)
        {
            throw new InvalidOperationException(raw.sqlite3_errmsg(_db).utf8_to_string());
        }
        return statement;
    }

    private void Run(sqlite3_stmt statement)
    {
        var rc = raw.sqlite3_step(statement);
        raw.sqlite3_reset(statement);
        if (rc != raw.SQLITE_DONE)
        {
            throw new InvalidOperationException(raw.sqlite3_errmsg(_db).utf8_to_string());
        }
    }
}
