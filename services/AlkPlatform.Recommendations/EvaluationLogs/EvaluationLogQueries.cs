using System.Globalization;
using System.Text;
using AlkPlatform.Contracts.Ops.V1;
using AlkPlatform.Guidelines.Storage;
using Dapper;
using Google.Protobuf.WellKnownTypes;
using Severity = AlkPlatform.Contracts.Recommendation.V1.Severity;

namespace AlkPlatform.Recommendations.EvaluationLogs;

/// <summary>Ops reads over the evaluation log: filtered keyset pages, single records, aggregates and export batches.</summary>
public sealed class EvaluationLogQueries(SqliteDatabase database)
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 500;

    public EvaluationLogRow? Find(string evaluationId)
    {
        using var connection = database.OpenConnection();
        return connection.QuerySingleOrDefault<EvaluationLogRow>(
            $"SELECT {EvaluationLogTable.SelectList} FROM evaluation_logs l WHERE l.evaluation_id = @evaluationId", new { evaluationId });
    }

    /// <summary>
    /// One page in keyset order (newest first, or oldest first for export). With a card filter the page is merged from
    /// one keyset range per card set containing the card, each read in page order on the (card set, time) index.
    /// </summary>
    public IReadOnlyList<EvaluationLogRow> Page(EvaluationLogFilter? filter, (long Ms, long Seq)? after, int size, bool oldestFirst = false)
    {
        using var connection = database.OpenConnection();
        var parameters = new DynamicParameters();
        var where = new StringBuilder();
        // The card is matched through the sets below, not as a clause of each range.
        AppendFilter(where, parameters, filter, includeCard: false);
        if (after is { } key)
        {
            where.Append(oldestFirst
                ? " AND (l.occurred_at_ms, l.seq) > (@afterMs, @afterSeq)"
                : " AND (l.occurred_at_ms, l.seq) < (@afterMs, @afterSeq)");
            parameters.Add("afterMs", key.Ms);
            parameters.Add("afterSeq", key.Seq);
        }
        var direction = oldestFirst ? "ASC" : "DESC";
        var order = $" ORDER BY l.occurred_at_ms {direction}, l.seq {direction} LIMIT @size";
        parameters.Add("size", size);

        if (filter is not { CardId.Length: > 0 })
        {
            return [.. connection.Query<EvaluationLogRow>($"SELECT {EvaluationLogTable.SelectList} FROM evaluation_logs l WHERE 1 = 1{where}{order}", parameters)];
        }
        var sets = connection.Query<long>(
            "SELECT card_set_id FROM evaluation_card_set_members WHERE card_id = @cardId ORDER BY card_set_id",
            new { cardId = filter.CardId }).AsList();
        if (sets.Count == 0)
        {
            return [];
        }
        // Keys first (from the index alone when only the card and time filter), then the page's rows by rowid.
        var keys = new StringBuilder("SELECT seq FROM (SELECT * FROM (");
        for (var i = 0; i < sets.Count; i++)
        {
            if (i > 0)
            {
                keys.Append(") UNION ALL SELECT * FROM (");
            }
            keys.Append($"SELECT l.occurred_at_ms AS t, l.seq AS seq FROM evaluation_logs l WHERE l.card_set_id = @set{i}{where}{order}");
            parameters.Add($"set{i}", sets[i]);
        }
        keys.Append($") ORDER BY t {direction}, seq {direction} LIMIT @size)");
        var sql = $"SELECT {EvaluationLogTable.SelectList} FROM evaluation_logs l WHERE l.seq IN ({keys}) ORDER BY l.occurred_at_ms {direction}, l.seq {direction}";
        return [.. connection.Query<EvaluationLogRow>(sql, parameters)];
    }

    public GetEvaluationLogAggregatesResponse Aggregate(EvaluationLogFilter? filter, int top)
    {
        var where = new StringBuilder(" WHERE 1 = 1");
        var parameters = new DynamicParameters();
        AppendFilter(where, parameters, filter);
        parameters.Add("top", top);

        using var connection = database.OpenConnection();
        var response = new GetEvaluationLogAggregatesResponse();
        // Per-minute counts also give the totals, so the range is scanned once for volume and errors.
        foreach (var (minute, count, minuteErrors) in connection.Query<(long, long, long)>(
                     $"SELECT l.occurred_at_ms / 60000, count(*), sum(l.status_code <> 0) FROM evaluation_logs l{where} GROUP BY 1 ORDER BY 1", parameters))
        {
            response.PerMinute.Add(new MinuteVolume
            {
                Minute = Timestamp.FromDateTimeOffset(DateTimeOffset.FromUnixTimeMilliseconds(minute * 60000)),
                Count = count,
                ErrorCount = minuteErrors,
            });
            response.Total += count;
            response.ErrorCount += minuteErrors;
        }
        response.ErrorRate = response.Total == 0 ? 0 : (double)response.ErrorCount / response.Total;

        // Exact percentiles from the latency histogram: one row per distinct microsecond value.
        var histogram = connection.Query<(long Latency, long Count)>(
            $"SELECT l.latency_us, count(*) FROM evaluation_logs l{where} GROUP BY 1 ORDER BY 1", parameters).AsList();
        response.Latency = Percentiles(histogram, response.Total);

        // Releases x callers is small: one scan feeds both breakdowns.
        var byRelease = new Dictionary<string, GroupVolume>(StringComparer.Ordinal);
        var byCaller = new Dictionary<string, GroupVolume>(StringComparer.Ordinal);
        foreach (var (release, caller, callerName, count, groupErrors) in connection.Query<(string, string, string, long, long)>(
                     $"SELECT l.release_id, l.caller, max(l.caller_name), count(*), sum(l.status_code <> 0) FROM evaluation_logs l{where} GROUP BY 1, 2", parameters))
        {
            Accumulate(byRelease, release, count, groupErrors);
            Accumulate(byCaller, caller, count, groupErrors).Label = callerName;
        }
        response.ByRelease.AddRange(Top(byRelease, top));
        response.ByCaller.AddRange(Top(byCaller, top));

        // Counts per card set (a handful), then each set's count credited to every card in it.
        var cardsSql =
            $"""
            SELECT m.card_id, sum(g.n), 0
            FROM (SELECT l.card_set_id, count(*) AS n FROM evaluation_logs l{where} GROUP BY 1) g
            JOIN evaluation_card_set_members m ON m.card_set_id = g.card_set_id
            GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT @top
            """;
        response.ByCard.AddRange(Groups(connection, cardsSql, parameters));
        return response;
    }

    private static GroupVolume Accumulate(Dictionary<string, GroupVolume> groups, string key, long count, long errors)
    {
        if (!groups.TryGetValue(key, out var group))
        {
            group = new GroupVolume { Key = key };
            groups[key] = group;
        }
        group.Count += count;
        group.ErrorCount += errors;
        return group;
    }

    private static IEnumerable<GroupVolume> Top(Dictionary<string, GroupVolume> groups, int top) =>
        groups.Values.OrderByDescending(g => g.Count).ThenBy(g => g.Key, StringComparer.Ordinal).Take(top);

    private static IEnumerable<GroupVolume> Groups(Microsoft.Data.Sqlite.SqliteConnection connection, string sql, DynamicParameters parameters) =>
        connection.Query<(string Key, long Count, long Errors)>(sql, parameters)
            .Select(g => new GroupVolume { Key = g.Key, Count = g.Count, ErrorCount = g.Errors });

    private static LatencyPercentiles Percentiles(List<(long Latency, long Count)> histogram, long total)
    {
        var result = new LatencyPercentiles();
        if (total == 0 || histogram.Count == 0)
        {
            return result;
        }
        // Nearest-rank percentiles: the smallest value with at least p% of records at or below it.
        long Rank(double p) => Math.Max(1, (long)Math.Ceiling(p * total));
        long r50 = Rank(0.50), r95 = Rank(0.95), r99 = Rank(0.99), seen = 0;
        foreach (var (latency, count) in histogram)
        {
            var before = seen;
            seen += count;
            if (before < r50 && seen >= r50) result.P50Us = latency;
            if (before < r95 && seen >= r95) result.P95Us = latency;
            if (before < r99 && seen >= r99) result.P99Us = latency;
        }
        result.MaxUs = histogram[^1].Latency;
        return result;
    }

    private static void AppendFilter(StringBuilder sql, DynamicParameters parameters, EvaluationLogFilter? filter, bool includeCard = true)
    {
        if (filter is null)
        {
            return;
        }
        if (filter.From is { } from)
        {
            sql.Append(" AND l.occurred_at_ms >= @fromMs");
            parameters.Add("fromMs", from.ToDateTimeOffset().ToUnixTimeMilliseconds());
        }
        if (filter.To is { } to)
        {
            sql.Append(" AND l.occurred_at_ms < @toMs");
            parameters.Add("toMs", to.ToDateTimeOffset().ToUnixTimeMilliseconds());
        }
        if (includeCard && filter.CardId.Length > 0)
        {
            sql.Append(" AND l.card_set_id IN (SELECT m.card_set_id FROM evaluation_card_set_members m WHERE m.card_id = @cardId)");
            parameters.Add("cardId", filter.CardId);
        }
        if (filter.Caller.Length > 0)
        {
            sql.Append(" AND l.caller = @caller");
            parameters.Add("caller", filter.Caller);
        }
        if (filter.GuidelineId.Length > 0)
        {
            sql.Append(" AND l.guideline_id = @guidelineId");
            parameters.Add("guidelineId", filter.GuidelineId);
        }
        if (filter.ReleaseId.Length > 0)
        {
            sql.Append(" AND l.release_id = @releaseId");
            parameters.Add("releaseId", filter.ReleaseId);
        }
        if (filter.Severity != Severity.Unspecified)
        {
            sql.Append(" AND (l.severity_mask & @severityBit) <> 0");
            parameters.Add("severityBit", 1 << (int)filter.Severity);
        }
        if (filter.HasStatusCode)
        {
            sql.Append(" AND l.status_code = @statusCode");
            parameters.Add("statusCode", filter.StatusCode);
            if (filter.StatusCode != 0)
            {
                // Spelled out so SQLite sees the partial index of failed calls applies.
                sql.Append(" AND l.status_code <> 0");
            }
        }
        if (filter.ErrorsOnly)
        {
            sql.Append(" AND l.status_code <> 0");
        }
        if (filter.HasMinLatencyUs)
        {
            sql.Append(" AND l.latency_us >= @minLatency");
            parameters.Add("minLatency", filter.MinLatencyUs);
        }
        if (filter.HasMaxLatencyUs)
        {
            sql.Append(" AND l.latency_us <= @maxLatency");
            parameters.Add("maxLatency", filter.MaxLatencyUs);
        }
        if (filter.Method != EvaluationMethod.Unspecified)
        {
            sql.Append(" AND l.method = @method");
            parameters.Add("method", (int)filter.Method);
        }
    }

    public static string PageToken(EvaluationLogRow row) =>
        Convert.ToBase64String(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{row.OccurredAtMs}:{row.Seq}")));

    /// <summary>The keyset position in <paramref name="token"/> (null for the first page); false when no page token of ours reads so.</summary>
    public static bool TryParsePageToken(string token, out (long Ms, long Seq)? after)
    {
        after = null;
        if (token.Length == 0)
        {
            return true;
        }
        try
        {
            var parts = Encoding.ASCII.GetString(Convert.FromBase64String(token)).Split(':');
            if (parts.Length == 2
                && long.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms)
                && long.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var seq))
            {
                after = (ms, seq);
                return true;
            }
        }
        catch (FormatException)
        {
        }
        return false;
    }
}
