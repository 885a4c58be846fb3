using System.Diagnostics.Metrics;
using AlkPlatform.Contracts.Recommendation.V1;
using AlkPlatform.Guidelines.Releases;
using AlkPlatform.Guidelines.Storage;
using AlkPlatform.Recommendations.EvaluationLogs;
using AlkPlatform.Recommendations.Recommend;
using AlkPlatform.Recommendations.Releases;
using AlkPlatform.Recommendations.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AlkPlatform.EvaluationLogs.Tests;

/// <summary>
/// The log writer on its own, outside the service: a temporary SQLite file, writers started on it, and the seed
/// release's Recommend handler to produce real answers to log. Deletes the directory when disposed.
/// </summary>
public sealed class WriterWorld : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("alk-writer-").FullName;
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly List<GroupCommitLogWriter> _writers = [];

    public WriterWorld()
    {
        var catalog = new ReleaseCatalog();
        catalog.Activate(LiveRelease.Prepare(BundledSeedRelease.Create()));
        Api = new RecommendationApi(catalog, new AlkPlatform.Recommendations.ReleaseFeed.ReleaseFeedStatus(), AlkPlatform.Recommendations.Limits.RequestLimits.Defaults,
            AlkPlatform.Recommendations.Authentication.CallerAuthentication.Decide(
            new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build(),
            new Microsoft.Extensions.Hosting.Internal.HostingEnvironment { EnvironmentName = "Development" }));
    }

    public string DatabasePath => Path.Combine(_directory, "recommendations.db");

    public RecommendationApi Api { get; }

    /// <summary>The database with every service migration applied.</summary>
    public SqliteDatabase OpenDatabase() => RecommendationsDatabase.Open(DatabasePath);

    /// <summary>
    /// The database with every migration applied and a trigger that aborts any batch holding a record from
    /// <paramref name="caller"/>: the way to make a commit fail after some of its work is done.
    /// </summary>
    public SqliteDatabase OpenDatabaseFailingBatchesFrom(string caller)
    {
        var database = OpenDatabase();
        using var connection = database.OpenConnection();
        using var trigger = connection.CreateCommand();
        trigger.CommandText = $"CREATE TRIGGER fail_batch BEFORE INSERT ON evaluation_logs WHEN NEW.caller = '{caller}' BEGIN SELECT RAISE(ABORT, 'failing on purpose'); END;";
        trigger.ExecuteNonQuery();
        return database;
    }

    /// <summary>A started writer on <paramref name="database"/>; stop it to drain, or leave it to the world's disposal.</summary>
    public async Task<GroupCommitLogWriter> StartWriterAsync(SqliteDatabase database, CancellationToken cancellationToken)
    {
        var writer = new GroupCommitLogWriter(database, Options.Create(new EvaluationLogOptions()),
            _services.GetRequiredService<IMeterFactory>(), NullLogger<GroupCommitLogWriter>.Instance);
        _writers.Add(writer);
        await writer.StartAsync(cancellationToken);
        return writer;
    }

    /// <summary>A log record of an answered Recommend call.</summary>
    public static PendingEvaluationLog Answered(RecommendRequest request, RecommendResponse response, string caller,
        long? occurredAtMs = null, long latencyUs = 0, string traceId = "") => new()
    {
        EvaluationId = response.EvaluationId,
        OccurredAtMs = occurredAtMs ?? DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
        Method = AlkPlatform.Contracts.Ops.V1.EvaluationMethod.Recommend,
        Caller = caller,
        Request = request,
        Response = response,
        LatencyUs = latencyUs,
        TraceId = traceId,
    };

    public void Dispose()
    {
        foreach (var writer in _writers)
        {
            writer.Dispose();
        }
        _services.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
