using AlkPlatform.Guidelines.Storage;
using AlkPlatform.Recommendations.EvaluationLogs;
using Microsoft.Data.Sqlite;

namespace AlkPlatform.EvaluationLogs.Benchmarks;

/// <summary>Writes synthetic evaluation logs shaped like production: mostly answers, a few errors, several apps and releases.</summary>
public static class RowGenerator
{
    public static readonly string[] Releases = ["alk-lbcl@r1-96fdc974687e", "alk-lbcl@r2-3f1c0aa7b2de", "alk-lbcl@r3-77e0d12c9a41"];
    public const string RareCard = "conflict:avoid-crizotinib-cns+rr-crizotinib";

    // (card id, kind, severity, rule) in the seed guideline's vocabulary.
    private static readonly (string Id, int Kind, int Severity, string Rule)[] Cards =
    [
        ("avoid-rituximab", 3, 3, "R-PITFALL-RITUXIMAB"),
        ("monitor-alk-inhibitor-durability", 4, 2, "R-PITFALL-DURABILITY"),
        ("rr-alectinib", 1, 1, "R-RR-ALECTINIB"),
        ("consider-lenalidomide", 2, 1, "R-LENALIDOMIDE"),
        ("consider-checkpoint-inhibitors", 2, 1, "R-CHECKPOINT-INHIBITORS"),
        ("frontline-chop-like", 1, 1, "R-FRONTLINE"),
        ("avoid-crizotinib-cns", 3, 3, "R-PITFALL-CRIZOTINIB-CNS"),
        ("stop-crizotinib-pneumonitis", 3, 3, "R-PITFALL-PNEUMONITIS-STOP"),
        ("rr-crizotinib", 1, 1, "R-RR-CRIZOTINIB"),
        ("consider-allo-transplant", 2, 2, "R-ALLO"),
    ];

    public static void Generate(SqliteDatabase database, long rows, DateTimeOffset from, TimeSpan span)
    {
        using var connection = database.OpenConnection();
        using (var pragma = connection.CreateCommand())
        {
            // Bulk load only: the service itself commits with synchronous=FULL.
            pragma.CommandText = "PRAGMA synchronous=OFF; PRAGMA cache_size=-1000000;";
            pragma.ExecuteNonQuery();
        }
        using var log = connection.CreateCommand();
        // The service's own insert, so the generated rows have exactly the columns the service writes.
        log.CommandText = EvaluationLogTable.InsertSql;
        var p = new Dictionary<EvaluationLogColumn, SqliteParameter>();
        foreach (var column in EvaluationLogTable.Columns)
        {
            p[column] = log.Parameters.AddWithValue($"?{(int)column}", DBNull.Value);
        }
        p[EvaluationLogColumn.GuidelineId].Value = "alk-lbcl";
        p[EvaluationLogColumn.Audience].Value = 1;
        // Card sets as the service stores them: each distinct cards JSON once, with a member row per card.
        using var cardSet = connection.CreateCommand();
        cardSet.CommandText = "INSERT INTO evaluation_card_sets (cards_json) VALUES ($json) RETURNING card_set_id";
        var cardSetJson = cardSet.Parameters.AddWithValue("$json", DBNull.Value);
        using var member = connection.CreateCommand();
        member.CommandText = "INSERT OR IGNORE INTO evaluation_card_set_members (card_id, card_set_id, severity) VALUES ($card, $set, $severity)";
        var memberCard = member.Parameters.AddWithValue("$card", DBNull.Value);
        var memberSet = member.Parameters.AddWithValue("$set", DBNull.Value);
        var memberSeverity = member.Parameters.AddWithValue("$severity", DBNull.Value);
        var cardSets = new Dictionary<string, long>(StringComparer.Ordinal);

        var random = new Random(42);
        var startMs = from.ToUnixTimeMilliseconds();
        var stepMs = span.TotalMilliseconds / rows;
        var chosen = new List<int>(6);
        SqliteTransaction? transaction = null;
        for (long seq = 1; seq <= rows; seq++)
        {
            if (transaction is null)
            {
                transaction = connection.BeginTransaction();
                log.Transaction = transaction;
                cardSet.Transaction = transaction;
                member.Transaction = transaction;
            }
            var t = startMs + (long)(seq * stepMs);
            var release = (int)Math.Min(2, (seq - 1) * 3 / rows);
            var status = random.Next(1000) switch { < 8 => 3, < 10 => 8, _ => 0 };
            chosen.Clear();
            if (status == 0)
            {
                chosen.Add(0);
                chosen.Add(1);
                var relapsed = random.Next(3) > 0;
                chosen.Add(relapsed ? 2 : 5);
                if (relapsed)
                {
                    chosen.Add(3);
                    chosen.Add(4);
                }
                if (random.Next(10) == 0)
                {
                    chosen.Add(6);
                }
                if (random.Next(50) == 0)
                {
                    chosen.Add(7);
                }
            }
            var cardsJson = new System.Text.StringBuilder("[");
            var rulesJson = new System.Text.StringBuilder("[");
            var mask = 0;
            foreach (var c in chosen)
            {
                var (id, kind, severity, rule) = Cards[c];
                if (cardsJson.Length > 1)
                {
                    cardsJson.Append(',');
                    rulesJson.Append(',');
                }
                cardsJson.Append($"{{\"id\":\"{id}\",\"kind\":{kind},\"severity\":{severity},\"rules\":[\"{rule}\"]}}");
                rulesJson.Append('"').Append(rule).Append('"');
                mask |= 1 << severity;
            }
            var rare = status == 0 && random.Next(100_000) == 0;
            if (rare)
            {
                cardsJson.Append($",{{\"id\":\"{RareCard}\",\"kind\":5,\"severity\":3,\"rules\":[]}}");
            }
            cardsJson.Append(']');
            rulesJson.Append(']');
            var occurred = DateTimeOffset.FromUnixTimeMilliseconds(t);
            p[EvaluationLogColumn.Seq].Value = seq;
            p[EvaluationLogColumn.EvaluationId].Value = Guid.CreateVersion7(occurred).ToString();
            p[EvaluationLogColumn.OccurredAtMs].Value = t;
            p[EvaluationLogColumn.Method].Value = random.Next(20) == 0 ? 2 : 1;
            p[EvaluationLogColumn.Caller].Value = $"app-{random.Next(20):00}";
            p[EvaluationLogColumn.ReleaseId].Value = Releases[release];
            p[EvaluationLogColumn.RevisionNumber].Value = release + 1;
            p[EvaluationLogColumn.ContentHash].Value = "96fdc974687e2233b30865e8981b08a77129bef0e509dd3b636e2c8e0b9b1f62";
            p[EvaluationLogColumn.InputJson].Value = $"{{\"audience\":\"AUDIENCE_CLINICIAN\",\"facts\":{{\"lineOfTherapy\":\"LINE_OF_THERAPY_RELAPSED_REFRACTORY\",\"cnsInvolvement\":\"TRI_STATE_NO\",\"weightKg\":{30 + random.Next(90)}}}}}";
            p[EvaluationLogColumn.CardsJson].Value = cardsJson.ToString();
            p[EvaluationLogColumn.RulesFired].Value = rulesJson.ToString();
            p[EvaluationLogColumn.MissingFacts].Value = random.Next(2) == 0 ? "[\"alectinib_available\"]" : "[]";
            p[EvaluationLogColumn.SeverityMask].Value = mask;
            p[EvaluationLogColumn.StatusCode].Value = status;
            p[EvaluationLogColumn.StatusMessage].Value = status == 0 ? "" : status == 3 ? "Invalid request: facts.weight_kg must be greater than 0 kg" : "The evaluation log is full";
            // Roughly log-normal: most calls ~100-300 µs, a long tail into milliseconds.
            p[EvaluationLogColumn.LatencyUs].Value = (long)(150 * Math.Exp(random.NextDouble() * random.NextDouble() * 4.5));
            p[EvaluationLogColumn.TraceId].Value = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());
            p[EvaluationLogColumn.MaskedFields].Value = random.Next(4) == 0 ? "[\"correlation_id:redact\"]" : "[]";
            var cards = cardsJson.ToString();
            long setId = 0;
            if (cards != "[]" && !cardSets.TryGetValue(cards, out setId))
            {
                cardSetJson.Value = cards;
                setId = (long)cardSet.ExecuteScalar()!;
                cardSets[cards] = setId;
                foreach (var c in chosen)
                {
                    memberCard.Value = Cards[c].Id;
                    memberSet.Value = setId;
                    memberSeverity.Value = Cards[c].Severity;
                    member.ExecuteNonQuery();
                }
                if (rare)
                {
                    memberCard.Value = RareCard;
                    memberSet.Value = setId;
                    memberSeverity.Value = 3;
                    member.ExecuteNonQuery();
                }
            }
            p[EvaluationLogColumn.CardSetId].Value = setId;
            log.ExecuteNonQuery();
            if (seq % 100_000 == 0 || seq == rows)
            {
                transaction.Commit();
                transaction.Dispose();
                transaction = null;
                if (seq % 1_000_000 == 0)
                {
                    Console.Error.WriteLine($"  {seq:N0} rows");
                }
            }
        }
        using var analyze = connection.CreateCommand();
        analyze.CommandText = "ANALYZE; PRAGMA wal_checkpoint(TRUNCATE);";
        analyze.ExecuteNonQuery();
    }
}
