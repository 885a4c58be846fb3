using System.Text.Json;
using AlkPlatform.Contracts.Ops.V1;
using AlkPlatform.Guidelines.Storage;
using Dapper;
using Google.Protobuf.WellKnownTypes;
using AskAbstention = AlkPlatform.Contracts.Recommendation.V1.AskAbstention;

namespace AlkPlatform.Recommendations.EvaluationLogs;

/// <summary>The board's to-do list from the log: Ask's abstentions by reason, the most frequent unknown terms and uncovered combinations.</summary>
public sealed class AskAbstentionQueries(SqliteDatabase database)
{
    public GetAskAbstentionsResponse Summarize(long fromMs, long toMs, string guidelineId, int top, int examples)
    {
        using var connection = database.OpenConnection();
        var range = new { fromMs, toMs, guidelineId, top, examples };
        const string InRange = "occurred_at_ms >= @fromMs AND occurred_at_ms < @toMs AND (@guidelineId = '' OR guideline_id = @guidelineId)";
        var response = new GetAskAbstentionsResponse
        {
            Asks = connection.ExecuteScalar<long>($"SELECT count(*) FROM evaluation_logs WHERE {InRange} AND method = @ask AND status_code = 0",
                new { fromMs, toMs, guidelineId, ask = (int)EvaluationMethod.Ask }),
        };
        foreach (var (reason, count) in connection.Query<(long Reason, long Count)>(
            $"SELECT reason, count(*) FROM evaluation_abstentions WHERE {InRange} GROUP BY reason ORDER BY reason", range))
        {
            response.ByReason.Add(new AbstentionReasonCount { Reason = (AskAbstention)reason, Count = count });
            response.Abstentions += count;
        }
        foreach (var (term, count) in connection.Query<(string Term, long Count)>(
            $"SELECT term, count(*) AS n FROM evaluation_unknown_terms WHERE {InRange} GROUP BY term ORDER BY n DESC, term LIMIT @top", range))
        {
            var group = new AbstentionGroup { Key = term, Count = count };
            group.Examples.AddRange(Examples(connection,
                "SELECT l.evaluation_id, l.occurred_at_ms, l.release_id, l.input_json FROM evaluation_unknown_terms t JOIN evaluation_logs l ON l.seq = t.seq " +
                "WHERE t.term = @key AND t.occurred_at_ms >= @fromMs AND t.occurred_at_ms < @toMs AND (@guidelineId = '' OR t.guideline_id = @guidelineId) " +
                "ORDER BY t.occurred_at_ms DESC, t.seq DESC LIMIT @examples",
                new { key = term, fromMs, toMs, guidelineId, examples }));
            response.UnknownTerms.Add(group);
        }
        foreach (var (unanswered, count) in connection.Query<(string Unanswered, long Count)>(
            $"SELECT unanswered, count(*) AS n FROM evaluation_abstentions WHERE unanswered <> '' AND {InRange} GROUP BY unanswered ORDER BY n DESC, unanswered LIMIT @top", range))
        {
            var group = new AbstentionGroup { Key = unanswered, Count = count };
            group.Examples.AddRange(Examples(connection,
                "SELECT l.evaluation_id, l.occurred_at_ms, l.release_id, l.input_json FROM evaluation_abstentions a JOIN evaluation_logs l ON l.seq = a.seq " +
                "WHERE a.unanswered = @key AND a.occurred_at_ms >= @fromMs AND a.occurred_at_ms < @toMs AND (@guidelineId = '' OR a.guideline_id = @guidelineId) " +
                "ORDER BY a.occurred_at_ms DESC, a.seq DESC LIMIT @examples",
                new { key = unanswered, fromMs, toMs, guidelineId, examples }));
            response.Uncovered.Add(group);
        }
        return response;
    }

    private static IEnumerable<AbstentionExample> Examples(System.Data.IDbConnection connection, string sql, object parameters) =>
        connection.Query<(string EvaluationId, long OccurredAtMs, string ReleaseId, string InputJson)>(sql, parameters)
            .Select(row => new AbstentionExample
            {
                EvaluationId = row.EvaluationId,
                OccurredAt = Timestamp.FromDateTimeOffset(DateTimeOffset.FromUnixTimeMilliseconds(row.OccurredAtMs)),
                ReleaseId = row.ReleaseId,
                Question = QuestionOf(row.InputJson),
            });

    /// <summary>The logged request's question: already masked by the writer, so "[masked]" unless the policy keeps it.</summary>
    private static string QuestionOf(string inputJson)
    {
        using var document = JsonDocument.Parse(inputJson);
        return document.RootElement.TryGetProperty("question", out var question) && question.ValueKind == JsonValueKind.String ? question.GetString() ?? "" : "";
    }
}
