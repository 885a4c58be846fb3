using BenchmarkDotNet.Attributes;
using Dapper;
using Microsoft.Data.Sqlite;

namespace AlkPlatform.Benchmarks;

/// <summary>
/// Baseline for the evaluation log's group commit: one transaction per batch of evaluation records in a WAL
/// database, with a reused prepared command and with Dapper. Results are per batch; divide by BatchSize for per row.
/// </summary>
public class LogBatchCommitBenchmarks
{
    private const string Insert = """
        INSERT INTO evaluation_log (evaluation_id, at_unix_ms, method, release_id, audience, facts_json, card_ids,
                                    rules_fired, missing_facts, status, latency_us)
        VALUES ($id, $at, $method, $release, $audience, $facts, $cards, $rules, $missing, $status, $latency)
        """;

    private string _directory = null!;
    private SqliteConnection _connection = null!;
    private SqliteCommand _prepared = null!;
    private LogRow[] _rows = null!;

    [Params(1, 16, 256)]
    public int BatchSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _directory = Directory.CreateTempSubdirectory("alk-bench-log-").FullName;
        _connection = new SqliteConnection($"Data Source={Path.Combine(_directory, "log.db")};Pooling=False");
        _connection.Open();
        _connection.Execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;");
        _connection.Execute("""
            CREATE TABLE evaluation_log (
              seq INTEGER PRIMARY KEY, evaluation_id TEXT NOT NULL, at_unix_ms INTEGER NOT NULL, method TEXT NOT NULL,
              release_id TEXT NOT NULL, audience TEXT NOT NULL, facts_json TEXT NOT NULL, card_ids TEXT NOT NULL,
              rules_fired TEXT NOT NULL, missing_facts TEXT NOT NULL, status INTEGER NOT NULL, latency_us INTEGER NOT NULL);
            CREATE INDEX ix_evaluation_log_at ON evaluation_log (at_unix_ms);
            """);
        _prepared = _connection.CreateCommand();
        _prepared.CommandText = Insert;
        foreach (var name in new[] { "$id", "$at", "$method", "$release", "$audience", "$facts", "$cards", "$rules", "$missing", "$status", "$latency" })
        {
            _prepared.Parameters.Add(new SqliteParameter { ParameterName = name });
        }
        _prepared.Prepare();
        _rows = [.. Enumerable.Range(0, BatchSize).Select(i => new LogRow(
            Guid.CreateVersion7().ToString(), 1_764_000_000_000 + i, "Recommend", "alk-lbcl@r1-96fdc974687e", "clinician",
            """{"line_of_therapy":"relapsed_refractory","cns_involvement":false,"weight_kg":70}""",
            "rr-alectinib,avoid-rituximab,rr-assess-transplant", "rr-alectinib,avoid-rituximab,rr-assess-transplant",
            "allogeneic_transplant_eligible,chemosensitive_disease", 0, 850))];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _prepared.Dispose();
        _connection.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(Baseline = true)]
    public void PreparedCommandBatch()
    {
        using var transaction = _connection.BeginTransaction();
        _prepared.Transaction = transaction;
        var p = _prepared.Parameters;
        foreach (var row in _rows)
        {
            p[0].Value = row.EvaluationId;
            p[1].Value = row.AtUnixMs;
            p[2].Value = row.Method;
            p[3].Value = row.ReleaseId;
            p[4].Value = row.Audience;
            p[5].Value = row.FactsJson;
            p[6].Value = row.CardIds;
            p[7].Value = row.RulesFired;
            p[8].Value = row.MissingFacts;
            p[9].Value = row.Status;
            p[10].Value = row.LatencyUs;
            _prepared.ExecuteNonQuery();
        }
        transaction.Commit();
    }

    [Benchmark]
    public void DapperBatch()
    {
        using var transaction = _connection.BeginTransaction();
        _connection.Execute(Insert.Replace('$', '@'), _rows.Select(r => new
        {
            id = r.EvaluationId, at = r.AtUnixMs, method = r.Method, release = r.ReleaseId, audience = r.Audience,
            facts = r.FactsJson, cards = r.CardIds, rules = r.RulesFired, missing = r.MissingFacts, status = r.Status,
            latency = r.LatencyUs,
        }), transaction);
        transaction.Commit();
    }

    private sealed record LogRow(
        string EvaluationId, long AtUnixMs, string Method, string ReleaseId, string Audience, string FactsJson,
        string CardIds, string RulesFired, string MissingFacts, int Status, int LatencyUs);
}
