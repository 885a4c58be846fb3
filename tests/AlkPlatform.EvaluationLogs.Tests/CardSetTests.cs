using AlkPlatform.Contracts.Ops.V1;
using AlkPlatform.Contracts.Recommendation.V1;
using AlkPlatform.Recommendations.EvaluationLogs;
using AlkPlatform.Recommendations.Storage;
using AlkPlatform.Testing;
using Microsoft.Data.Sqlite;

namespace AlkPlatform.EvaluationLogs.Tests;

/// <summary>
/// Each distinct set of cards is stored once and log rows point to it (migration 0003): card filters, card breakdowns
/// and records written before the migration must read exactly as they did with one row per card.
/// </summary>
public sealed class CardSetTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CardFilter_MergesEverySetHoldingTheCard_NewestFirst_AcrossPages_AndBreakdownsCountEachEvaluation()
    {
        await using var host = new RecommendationServiceHost();
        var patients = new[]
        {
            ReferencePatients.RelapsedRefractory70Kg,
            ReferencePatients.Frontline(),
            ReferencePatients.RelapsedRefractoryWithCns(),
        };
        var answered = new List<RecommendResponse>();
        for (var i = 0; i < 9; i++)
        {
            answered.Add(await host.Recommendations().RecommendAsync(patients[i % patients.Length], cancellationToken: Ct));
        }
        // The three patients get three different sets; every set holds the rituximab pitfall, two hold alectinib.
        Assert.Equal(3, answered.Select(a => string.Join(",", a.Cards.Select(c => c.Id))).Distinct().Count());

        foreach (var cardId in new[] { "avoid-rituximab", "rr-alectinib", "frontline-anthracycline-chemo" })
        {
            var expected = answered.Where(a => a.Cards.Any(c => c.Id == cardId)).Select(a => a.EvaluationId).Reverse().ToList();
            Assert.NotEmpty(expected);
            var seen = new List<string>();
            var token = "";
            do
            {
                var page = await host.Ops().QueryEvaluationLogsAsync(new QueryEvaluationLogsRequest
                {
                    Filter = new EvaluationLogFilter { CardId = cardId },
                    PageSize = 2,
                    PageToken = token,
                }, cancellationToken: Ct);
                Assert.All(page.Records, r => Assert.Contains(r.Cards, c => c.CardId == cardId));
                seen.AddRange(page.Records.Select(r => r.EvaluationId));
                token = page.NextPageToken;
            }
            while (token.Length > 0);
            Assert.Equal(expected, seen);
        }

        var aggregates = await host.Ops().GetEvaluationLogAggregatesAsync(new GetEvaluationLogAggregatesRequest(), cancellationToken: Ct);
        Assert.Contains(aggregates.ByCard, g => g.Key == "avoid-rituximab" && g.Count == 9);
        Assert.Contains(aggregates.ByCard, g => g.Key == "rr-alectinib" && g.Count == 6);
        Assert.Contains(aggregates.ByCard, g => g.Key == "frontline-anthracycline-chemo" && g.Count == 3);
        var onlyAlectinib = await host.Ops().GetEvaluationLogAggregatesAsync(new GetEvaluationLogAggregatesRequest
        {
            Filter = new EvaluationLogFilter { CardId = "rr-alectinib" },
        }, cancellationToken: Ct);
        Assert.Equal(6, onlyAlectinib.Total);
        Assert.DoesNotContain(onlyAlectinib.ByCard, g => g.Key == "frontline-anthracycline-chemo");

        using var connection = new SqliteConnection($"Data Source={host.DatabasePath};Pooling=False");
        connection.Open();
        using var count = connection.CreateCommand();
        count.CommandText = "SELECT count(*) FROM evaluation_card_sets";
        Assert.Equal(3L, (long)count.ExecuteScalar()!);
    }

    [Fact]
    public async Task Writer_AfterARestart_ReusesTheStoredSet_InsteadOfStoringItAgain()
    {
        using var world = new WriterWorld();
        var request = ReferencePatients.RelapsedRefractory70Kg;
        for (var run = 0; run < 2; run++)
        {
            var writer = await world.StartWriterAsync(world.OpenDatabase(), Ct);
            await writer.Append(WriterWorld.Answered(request, await world.Api.Recommend(request, null!), "test"));
            await writer.StopAsync(Ct);
        }

        using var connection = new SqliteConnection($"Data Source={world.DatabasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*), count(DISTINCT card_set_id), min(card_set_id) FROM evaluation_logs";
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        Assert.Equal(2L, reader.GetInt64(0));
        Assert.Equal(1L, reader.GetInt64(1));
        Assert.True(reader.GetInt64(2) > 0);
    }

    [Fact]
    public async Task Writer_AfterABatchFailsAndRollsBack_TheSetItStoredIsStoredAgain_NotReferencedFromTheCache()
    {
        using var world = new WriterWorld();
        // Any record from caller "fail" aborts its whole batch, after the batch has stored a new card set.
        var database = world.OpenDatabaseFailingBatchesFrom("fail");
        var request = ReferencePatients.Frontline();
        var writer = await world.StartWriterAsync(database, Ct);

        var failing = await world.Api.Recommend(request, null!);
        var refused = await Assert.ThrowsAsync<Grpc.Core.RpcException>(() => writer.Append(WriterWorld.Answered(request, failing, "fail")));
        Assert.Equal(Grpc.Core.StatusCode.Unavailable, refused.StatusCode);
        var answered = await world.Api.Recommend(request, null!);
        await writer.Append(WriterWorld.Answered(request, answered, "app"));
        await writer.StopAsync(Ct);

        var logged = new EvaluationLogQueries(database).Find(answered.EvaluationId);
        Assert.NotNull(logged);
        Assert.Equal(answered.Cards.Select(c => c.Id), EvaluationLogRow.ParseCards(logged.CardsJson).Select(c => c.CardId));
        Assert.Single(new EvaluationLogQueries(database).Page(new EvaluationLogFilter { CardId = answered.Cards[0].Id }, null, 10));
    }

    [Fact]
    public void Migration_RecordsWrittenWithOneRowPerCard_AreFoundByCardAfterTheUpgrade()
    {
        var directory = Directory.CreateTempSubdirectory("alk-cardsets-").FullName;
        try
        {
            var path = Path.Combine(directory, "recommendations.db");
            // A database as the service left it before 0003: logs with their per-card rows.
            RecommendationsDatabase.Open(path, RecommendationsDatabase.ScriptPrefix + "0001");
            RecommendationsDatabase.Open(path, RecommendationsDatabase.ScriptPrefix + "0002");
            using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
            {
                connection.Open();
                using var insert = connection.CreateCommand();
                insert.CommandText =
                    """
                    INSERT INTO evaluation_logs (seq, evaluation_id, occurred_at_ms, method, caller, guideline_id, release_id, revision_number,
                        content_hash, audience, input_json, cards_json, rules_fired, missing_facts, severity_mask, status_code, status_message,
                        latency_us, trace_id, masked_fields)
                    VALUES
                        (1, 'e1', 1000, 1, 'app', 'alk-lbcl', 'r1', 1, 'h', 1, '{}',
                         '[{"id":"avoid-rituximab","kind":3,"severity":3,"rules":["R1"]},{"id":"rr-alectinib","kind":1,"severity":1,"rules":["R2"]}]',
                         '["R1","R2"]', '[]', 10, 0, '', 5, '', '[]'),
                        (2, 'e2', 2000, 1, 'app', 'alk-lbcl', 'r1', 1, 'h', 1, '{}',
                         '[{"id":"avoid-rituximab","kind":3,"severity":3,"rules":["R1"]}]', '["R1"]', '[]', 8, 0, '', 5, '', '[]'),
                        (3, 'e3', 3000, 1, 'app', 'alk-lbcl', 'r1', 1, 'h', 1, '{}', '[]', '[]', '[]', 0, 3, 'bad', 5, '', '[]');
                    INSERT INTO evaluation_log_cards (card_id, occurred_at_ms, seq, severity) VALUES
                        ('avoid-rituximab', 1000, 1, 3), ('rr-alectinib', 1000, 1, 1), ('avoid-rituximab', 2000, 2, 3);
                    """;
                insert.ExecuteNonQuery();
            }

            var queries = new EvaluationLogQueries(RecommendationsDatabase.Open(path));

            Assert.Equal(["e2", "e1"], queries.Page(new EvaluationLogFilter { CardId = "avoid-rituximab" }, null, 10).Select(r => r.EvaluationId));
            Assert.Equal(["e1"], queries.Page(new EvaluationLogFilter { CardId = "rr-alectinib" }, null, 10).Select(r => r.EvaluationId));
            Assert.Equal(["e3", "e2", "e1"], queries.Page(null, null, 10).Select(r => r.EvaluationId));
            var aggregates = queries.Aggregate(null, 10);
            Assert.Equal([("avoid-rituximab", 2L), ("rr-alectinib", 1L)], aggregates.ByCard.Select(g => (g.Key, g.Count)));
            using var check = new SqliteConnection($"Data Source={path};Pooling=False");
            check.Open();
            using var table = check.CreateCommand();
            table.CommandText = "SELECT count(*) FROM sqlite_master WHERE name = 'evaluation_log_cards'";
            Assert.Equal(0L, (long)table.ExecuteScalar()!);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }
}
