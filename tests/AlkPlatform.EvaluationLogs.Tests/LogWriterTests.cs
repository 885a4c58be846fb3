using System.Diagnostics.Metrics;
using System.Text.Json;
using AlkPlatform.Contracts.Recommendation.V1;
using AlkPlatform.Guidelines.Releases;
using AlkPlatform.Guidelines.Storage;
using AlkPlatform.Recommendations.EvaluationLogs;
using AlkPlatform.Recommendations.Recommendations;
using AlkPlatform.Recommendations.Releases;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using EvaluationMethod = AlkPlatform.Recommendations.EvaluationLogs.EvaluationMethod;

namespace AlkPlatform.EvaluationLogs.Tests;

/// <summary>
/// The writer re-binds only the insert parameters that changed since the previous row. Whatever the order of records —
/// values repeated, changed, changed back, a failed call between answers, a batch rolled back — every row must hold
/// exactly its own record's values.
/// </summary>
public sealed class LogWriterTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static RecommendRequest Patient(LineOfTherapy line, TriState cns, double weightKg) => new()
    {
        Audience = Audience.Clinician,
        Facts = new PatientFacts { LineOfTherapy = line, CnsInvolvement = cns, WeightKg = weightKg },
    };

    [Fact]
    public async Task Writer_RecordsSharingSomeValuesWithThePreviousRow_AreEachStoredWithTheirOwnValues()
    {
        var directory = Directory.CreateTempSubdirectory("alk-writer-").FullName;
        try
        {
            var database = SqliteDatabase.Open(Path.Combine(directory, "recommendations.db"), SqliteDatabase.ServiceScripts);
            using (var connection = database.OpenConnection())
            using (var trigger = connection.CreateCommand())
            {
                // A record from caller "fail" aborts its whole batch.
                trigger.CommandText = "CREATE TRIGGER fail_batch BEFORE INSERT ON evaluation_logs WHEN NEW.caller = 'fail' BEGIN SELECT RAISE(ABORT, 'failing on purpose'); END;";
                trigger.ExecuteNonQuery();
            }
            var catalog = new ReleaseCatalog();
            catalog.Activate(LiveRelease.Prepare(BundledSeedRelease.Create()));
            var api = new RecommendationApi(catalog, new AlkPlatform.Recommendations.ReleaseFeed.ReleaseFeedStatus());
            using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
            using var writer = new GroupCommitLogWriter(database, Options.Create(new EvaluationLogOptions()),
                services.GetRequiredService<IMeterFactory>(), NullLogger<GroupCommitLogWriter>.Instance);
            await writer.StartAsync(Ct);

            var relapsed = Patient(LineOfTherapy.RelapsedRefractory, TriState.No, 70);
            var frontline = Patient(LineOfTherapy.Frontline, TriState.No, 40);
            var cns = Patient(LineOfTherapy.RelapsedRefractory, TriState.Yes, 55);
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            var appended = new List<PendingEvaluationLog>();
            async Task<PendingEvaluationLog> Answered(RecommendRequest request, string caller, string trace, long at, long latency)
            {
                var response = await api.Recommend(request, null!);
                return new()
                {
                    EvaluationId = response.EvaluationId,
                    OccurredAtMs = at,
                    Method = EvaluationMethod.Recommend,
                    Caller = caller,
                    Request = request,
                    Response = response,
                    LatencyUs = latency,
                    TraceId = trace,
                };
            }
            PendingEvaluationLog Failed(RecommendRequest request, string caller, string message) => new()
            {
                EvaluationId = Guid.CreateVersion7().ToString(),
                OccurredAtMs = now,
                Method = EvaluationMethod.Recommend,
                Caller = caller,
                Request = request,
                StatusCode = (int)Grpc.Core.StatusCode.InvalidArgument,
                StatusMessage = message,
                LatencyUs = 5,
            };

            // Appended together so that they share batches: each differs from the one before in some columns only.
            appended.Add(await Answered(relapsed, "app-a", "trace-1", now, 100));
            appended.Add(await Answered(relapsed, "app-a", "", now, 100));
            appended.Add(await Answered(frontline, "app-b", "", now + 1, 250));
            appended.Add(Failed(cns, "app-b", "facts.weight_kg must be greater than 0 kg; got -3"));
            appended.Add(await Answered(relapsed, "app-a", "trace-1", now + 2, 100));
            appended.Add(await Answered(cns, "", "trace-2", now + 2, 90));
            await Task.WhenAll(appended.Select(writer.Append));

            // A rolled-back batch between two records with otherwise equal values.
            await Assert.ThrowsAsync<Grpc.Core.RpcException>(() => writer.Append(Failed(frontline, "fail", "rolled back")));
            appended.Add(Failed(frontline, "app-c", "rolled back"));
            await writer.Append(appended[^1]);
            await writer.StopAsync(Ct);

            var queries = new EvaluationLogQueries(database);
            foreach (var expected in appended)
            {
                var row = queries.Find(expected.EvaluationId);
                Assert.NotNull(row);
                var request = (RecommendRequest)expected.Request;
                var response = expected.Response as RecommendResponse;
                Assert.Equal(expected.OccurredAtMs, row.OccurredAtMs);
                Assert.Equal(expected.Caller, row.Caller);
                Assert.Equal(expected.TraceId, row.TraceId);
                Assert.Equal(expected.LatencyUs, row.LatencyUs);
                Assert.Equal(expected.StatusCode, row.StatusCode);
                Assert.Equal(expected.StatusMessage, row.StatusMessage);
                Assert.Equal(response?.Cards.Select(c => c.Id) ?? [], EvaluationLogRow.ParseCards(row.CardsJson).Select(c => c.CardId));
                Assert.Equal(response?.Explanation.Select(e => e.RuleId) ?? [], EvaluationLogRow.ParseStrings(row.RulesFired));
                Assert.Equal(response?.MissingFacts.Select(m => m.Fact) ?? [], EvaluationLogRow.ParseStrings(row.MissingFacts));
                using var input = JsonDocument.Parse(row.InputJson);
                var facts = input.RootElement.GetProperty("facts");
                Assert.Equal(request.Facts.WeightKg, facts.GetProperty("weightKg").GetDouble());
                Assert.Equal(request.Facts.CnsInvolvement.ToString(), facts.GetProperty("cnsInvolvement").GetString() switch
                {
                    "TRI_STATE_YES" => "Yes",
                    "TRI_STATE_NO" => "No",
                    var other => other,
                });
            }
            // Three patients, three different sets of cards: the rows are not all the same.
            Assert.Equal(3, appended.Where(a => a.Response is not null)
                .Select(a => string.Join(",", ((RecommendResponse)a.Response!).Cards.Select(c => c.Id))).Distinct().Count());
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }
}
