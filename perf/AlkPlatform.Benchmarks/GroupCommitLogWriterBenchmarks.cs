using System.Diagnostics.Metrics;
using AlkPlatform.Contracts.Ops.V1;
using AlkPlatform.Contracts.Recommendation.V1;
using AlkPlatform.Guidelines.Releases;
using AlkPlatform.Recommendations.EvaluationLogs;
using AlkPlatform.Recommendations.Recommend;
using AlkPlatform.Recommendations.Releases;
using AlkPlatform.Recommendations.Storage;
using AlkPlatform.Testing;
using BenchmarkDotNet.Attributes;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AlkPlatform.Benchmarks;

/// <summary>
/// The service's real evaluation-log writer: BatchSize concurrent Recommend evaluations appended at once, each
/// awaited until its row is committed. The writer encodes and commits them in as few transactions as it drains.
/// Results are per burst; divide by BatchSize for per evaluation.
/// </summary>
public class GroupCommitLogWriterBenchmarks
{
    private string _directory = null!;
    private ServiceProvider _services = null!;
    private GroupCommitLogWriter _writer = null!;
    private RecommendRequest _request = null!;
    private RecommendResponse _response = null!;
    private Task[] _pending = null!;

    [Params(1, 16, 256)]
    public int BatchSize { get; set; }

    /// <summary>An experiment, not a configuration the service offers: the writer's cost without the six secondary indexes.</summary>
    [Params(false, true)]
    public bool WithoutSecondaryIndexes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _directory = Directory.CreateTempSubdirectory("alk-bench-writer-").FullName;
        _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var database = RecommendationsDatabase.Open(Path.Combine(_directory, "recommendations.db"));
        if (WithoutSecondaryIndexes)
        {
            using var connection = database.OpenConnection();
            using var drop = connection.CreateCommand();
            drop.CommandText = """
                DROP INDEX ix_evaluation_logs_time; DROP INDEX ix_evaluation_logs_caller; DROP INDEX ix_evaluation_logs_guideline;
                DROP INDEX ix_evaluation_logs_release; DROP INDEX ix_evaluation_logs_card_set; DROP INDEX ix_evaluation_logs_errors;
                """;
            drop.ExecuteNonQuery();
        }
        _writer = new GroupCommitLogWriter(database, Options.Create(new EvaluationLogOptions()),
            _services.GetRequiredService<IMeterFactory>(), NullLogger<GroupCommitLogWriter>.Instance);
        _writer.StartAsync(CancellationToken.None).GetAwaiter().GetResult();
        var catalog = new ReleaseCatalog();
        catalog.Activate(LiveRelease.Prepare(BundledSeedRelease.Create()));
        _request = ReferencePatients.RelapsedRefractory70Kg;
        _response = new RecommendationApi(catalog, new AlkPlatform.Recommendations.ReleaseFeed.ReleaseFeedStatus(), AlkPlatform.Recommendations.Limits.RequestLimits.Defaults,
            AlkPlatform.Recommendations.Authentication.CallerAuthentication.Decide(
            new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build(),
            new Microsoft.Extensions.Hosting.Internal.HostingEnvironment { EnvironmentName = "Development" })).Recommend(_request, null!).GetAwaiter().GetResult();
        _pending = new Task[BatchSize];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _writer.StopAsync(CancellationToken.None).GetAwaiter().GetResult();
        _writer.Dispose();
        _services.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark]
    public void AppendAndAwaitCommit()
    {
        for (var i = 0; i < _pending.Length; i++)
        {
            _pending[i] = _writer.Append(new PendingEvaluationLog
            {
                EvaluationId = Guid.CreateVersion7().ToString(),
                OccurredAtMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
                Method = EvaluationMethod.Recommend,
                Caller = "bench",
                Request = _request,
                Response = _response,
                LatencyUs = 100,
            });
        }
        Task.WaitAll(_pending);
    }
}
