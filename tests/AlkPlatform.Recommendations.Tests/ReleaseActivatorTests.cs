using AlkPlatform.Contracts.Recommendation.V1;
using AlkPlatform.Guidelines.Content;
using AlkPlatform.Guidelines.Releases;
using AlkPlatform.Recommendations.Releases;
using AlkPlatform.Recommendations.Storage;
using AlkPlatform.Testing;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;

namespace AlkPlatform.Recommendations.Tests;

public class ReleaseActivatorTests : IDisposable
{
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("alk-restart-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dataDirectory, recursive: true);
    }

    private static Release RevisionTwo()
    {
        var seed = SeedGuideline.Load();
        return Release.Cut(seed with { VersionLabel = "2.0", ChangeSummary = "Test revision" }, 2,
            DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, "test", []);
    }

    [Fact]
    public void Open_NewDatabase_JournalsEachScriptUnderTheNameExistingDatabasesRecorded()
    {
        var path = Path.Combine(_dataDirectory, "recommendations.db");
        RecommendationsDatabase.Open(path);

        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT ScriptName FROM SchemaVersions ORDER BY SchemaVersionID";
        var journaled = new List<string>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                journaled.Add(reader.GetString(0));
            }
        }

        // DbUp re-runs any script whose name is not in the journal: a rename would re-create tables that already exist.
        Assert.Equal(
        [
            "AlkPlatform.Guidelines.Storage.Migrations.Service.0001_releases.sql",
            "AlkPlatform.Guidelines.Storage.Migrations.Service.0002_evaluation_logs.sql",
            "AlkPlatform.Guidelines.Storage.Migrations.Service.0003_evaluation_card_sets.sql",
            "AlkPlatform.Guidelines.Storage.Migrations.Service.0004_evaluation_log_error_index.sql",
        ], journaled);
    }

    [Fact]
    public async Task Restart_ServesThePersistedRelease_NotTheBundledSeed()
    {
        var revisionTwo = RevisionTwo();
        using (var first = new RecommendationServiceHost(dataDirectory: _dataDirectory))
        {
            first.Services.GetRequiredService<ReleaseActivator>().Activate(revisionTwo);
        }

        using var second = new RecommendationServiceHost(dataDirectory: _dataDirectory);
        var client = new RecommendationService.RecommendationServiceClient(second.Channel);
        var response = await client.ListGuidelinesAsync(new ListGuidelinesRequest(), cancellationToken: TestContext.Current.CancellationToken);

        var release = Assert.Single(response.Guidelines).Release;
        Assert.Equal(revisionTwo.ReleaseId, release.ReleaseId);
        Assert.Equal(2, release.RevisionNumber);
        Assert.Equal("2.0", release.VersionLabel);
    }

    [Fact]
    public async Task Activate_ATamperedRelease_IsRefused_AndTheLastGoodOneKeepsServing()
    {
        using var factory = new RecommendationServiceHost(dataDirectory: _dataDirectory);
        var client = new RecommendationService.RecommendationServiceClient(factory.Channel);
        var before = await client.ListGuidelinesAsync(new ListGuidelinesRequest(), cancellationToken: TestContext.Current.CancellationToken);
        var tampered = RevisionTwo() with { ContentHash = new string('a', 64) };

        Assert.Throws<ReleaseVerificationException>(() => factory.Services.GetRequiredService<ReleaseActivator>().Activate(tampered));

        var after = await client.ListGuidelinesAsync(new ListGuidelinesRequest(), cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(before.Guidelines[0].Release.ReleaseId, after.Guidelines[0].Release.ReleaseId);
    }

    [Fact]
    public async Task RetiredGuideline_IsFailedPreconditionNamingIt_AlsoAfterRestart()
    {
        using (var first = new RecommendationServiceHost(dataDirectory: _dataDirectory))
        {
            _ = first.Server;
            first.Services.GetRequiredService<ReleaseActivator>().Retire("alk-lbcl", "withdrawn by the board");
        }

        using var second = new RecommendationServiceHost(dataDirectory: _dataDirectory);
        var client = new RecommendationService.RecommendationServiceClient(second.Channel);
        var error = await Assert.ThrowsAsync<RpcException>(() => client.RecommendAsync(
            new RecommendRequest { GuidelineId = "alk-lbcl", Facts = new PatientFacts { LineOfTherapy = LineOfTherapy.Frontline } },
            cancellationToken: TestContext.Current.CancellationToken).ResponseAsync);

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Contains("alk-lbcl", error.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("withdrawn by the board", error.Status.Detail, StringComparison.Ordinal);
    }
}
