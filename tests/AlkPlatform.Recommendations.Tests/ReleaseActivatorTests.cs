using System.Net;
using AlkPlatform.Contracts.Recommendation.V1;
using AlkPlatform.Guidelines.Content;
using AlkPlatform.Guidelines.Releases;
using AlkPlatform.Guidelines.Releases.Signing;
using AlkPlatform.Recommendations.Releases;
using AlkPlatform.Recommendations.Storage;
using AlkPlatform.Testing;
using Grpc.Core;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;

namespace AlkPlatform.Recommendations.Tests;

/// <summary>What the service persists and serves again after a restart: signed events that still verify, nothing else.</summary>
public sealed class ReleaseActivatorTests : IDisposable
{
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("alk-restart-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string DatabasePath => Path.Combine(_dataDirectory, "recommendations.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dataDirectory, recursive: true);
    }

    [Fact]
    public void Open_NewDatabase_JournalsEachScriptUnderTheNameExistingDatabasesRecorded()
    {
        RecommendationsDatabase.Open(DatabasePath);

        using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
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
            "AlkPlatform.Guidelines.Storage.Migrations.Service.0005_release_activations.sql",
            "AlkPlatform.Guidelines.Storage.Migrations.Service.0006_verified_callers.sql",
            "AlkPlatform.Guidelines.Storage.Migrations.Service.0007_card_feedback_history.sql",
            "AlkPlatform.Guidelines.Storage.Migrations.Service.0014_ask_abstentions.sql",
        ], journaled);
    }

    [Fact]
    public async Task Restart_ServesThePersistedSignedRelease_WithTheFeedGone()
    {
        using var board = ReleaseSigningKey.Generate();
        Release revisionTwo;
        Dictionary<string, string> settings;
        await using (var world = await FeedWorld.StartAsync(dataDirectory: _dataDirectory, board: board))
        {
            revisionTwo = await world.PublishAndWait(2, sequence: 1);
            settings = world.Feed.ServiceSettings();
        }

        using var restarted = new RecommendationServiceHost(settings, dataDirectory: _dataDirectory);
        var listed = await restarted.Recommendations().ListGuidelinesAsync(new ListGuidelinesRequest(), cancellationToken: Ct);

        var release = Assert.Single(listed.Guidelines).Release;
        Assert.Equal(revisionTwo.ReleaseId, release.ReleaseId);
        Assert.Equal("test-2", release.VersionLabel);
        Assert.False(listed.Feed.Connected);
    }

    [Fact]
    public async Task Restart_WithTheSigningKeyRemovedFromTrust_DoesNotServeItsEvents_AndSaysWhichReleaseAndKey()
    {
        using var oldKey = ReleaseSigningKey.Generate();
        using var newKey = ReleaseSigningKey.Generate();
        Release revoked;
        string feedAddress;
        await using (var world = await FeedWorld.StartAsync(dataDirectory: _dataDirectory, board: oldKey))
        {
            revoked = await world.PublishAndWait(2, sequence: 1);
            feedAddress = world.Feed.Address;
        }

        // The old key is revoked: the service now trusts only the new one.
        using var restarted = new RecommendationServiceHost(new Dictionary<string, string>
        {
            ["ReleaseFeed:Address"] = feedAddress,
            ["ReleaseFeed:Scope"] = TestReleaseFeed.PortalFeedScope,
            ["ReleaseTrust:TrustedKeys:0"] = newKey.ExportPublicKeyPem(),
        }, dataDirectory: _dataDirectory);
        var client = restarted.Recommendations();
        var listed = await client.ListGuidelinesAsync(new ListGuidelinesRequest(), cancellationToken: Ct);

        Assert.Empty(listed.Guidelines);
        var problem = $"Persisted release {revoked.ReleaseId} (signed by key {oldKey.KeyId}) is not served: it is signed by key {oldKey.KeyId}, which this service does not trust (trusted: {newKey.KeyId})";
        Assert.Contains(problem, listed.Feed.LastError, StringComparison.Ordinal);
        var health = (await restarted.Get<HealthCheckService>().CheckHealthAsync(Ct)).Entries["releases"];
        Assert.Equal(HealthStatus.Unhealthy, health.Status);
        Assert.Contains(problem, health.Description, StringComparison.Ordinal);
        var refused = await Assert.ThrowsAsync<RpcException>(() => client.RecommendAsync(ReferencePatients.RelapsedRefractory70Kg, cancellationToken: Ct).ResponseAsync);
        Assert.NotEqual(StatusCode.OK, refused.StatusCode);
    }

    [Fact]
    public async Task Restart_WithTheLatestSignerRevoked_AnOlderEventOfAStillTrustedKey_CannotBeReplayedInItsPlace()
    {
        using var kept = ReleaseSigningKey.Generate();
        using var revoked = ReleaseSigningKey.Generate();
        Release older;
        await using (var world = await FeedWorld.StartAsync(
            new Dictionary<string, string> { ["ReleaseTrust:TrustedKeys:1"] = revoked.ExportPublicKeyPem() }, _dataDirectory, kept))
        {
            older = await world.PublishAndWait(2, sequence: 1);
            var latest = TestReleaseFeed.ApprovedRevision(3);
            await world.Feed.PublishAsync(latest, sequence: 2, signer: revoked);
            await world.WaitUntilServing(latest.ReleaseId);
        }

        await using var again = await FeedWorld.StartAsync(dataDirectory: _dataDirectory, board: kept);
        await again.Feed.PublishAsync(older, sequence: 1);

        var listed = await again.WaitForProblem($"Refused release {older.ReleaseId}: its sequence number 1 is not newer than the active 2");
        Assert.Empty(listed.Guidelines);
    }

    [Fact]
    public async Task Restart_WithTheSigningKeyRevoked_ServesAgainWhenTheFeedSendsTheActiveEventSignedByTheNewKey()
    {
        using var oldKey = ReleaseSigningKey.Generate();
        using var newKey = ReleaseSigningKey.Generate();
        Release active;
        await using (var world = await FeedWorld.StartAsync(dataDirectory: _dataDirectory, board: oldKey))
        {
            active = await world.PublishAndWait(2, sequence: 1);
        }

        await using var rotated = await FeedWorld.StartAsync(dataDirectory: _dataDirectory, board: newKey);
        await rotated.WaitForProblem($"Persisted release {active.ReleaseId} (signed by key {oldKey.KeyId}) is not served");
        await rotated.Feed.PublishAsync(active, sequence: 1);

        var listed = await rotated.WaitUntilServing(active.ReleaseId);
        Assert.Equal("", listed.Feed.LastError);
        Assert.Equal([oldKey.KeyId, newKey.KeyId], rotated.Service.Get<ReleaseStore>().ListActivations().Select(a => a.Event.KeyId));
    }

    [Fact]
    public async Task Restart_WithTheStoredContentAltered_DetectsIt_AndDoesNotServeIt()
    {
        using var board = ReleaseSigningKey.Generate();
        Release revisionTwo;
        Dictionary<string, string> settings;
        await using (var world = await FeedWorld.StartAsync(dataDirectory: _dataDirectory, board: board))
        {
            revisionTwo = await world.PublishAndWait(2, sequence: 1);
            settings = world.Feed.ServiceSettings();
        }
        SqliteConnection.ClearAllPools();
        using (var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False"))
        {
            connection.Open();
            using var edit = connection.CreateCommand();
            edit.CommandText = "UPDATE releases SET canonical_content = CAST(replace(canonical_content, '\"dose\":300', '\"dose\":900') AS BLOB) WHERE release_id = $id";
            edit.Parameters.AddWithValue("$id", revisionTwo.ReleaseId);
            Assert.Equal(1, edit.ExecuteNonQuery());
        }

        using var restarted = new RecommendationServiceHost(settings, dataDirectory: _dataDirectory);
        var listed = await restarted.Recommendations().ListGuidelinesAsync(new ListGuidelinesRequest(), cancellationToken: Ct);

        Assert.Empty(listed.Guidelines);
        Assert.Contains($"Persisted release {revisionTwo.ReleaseId} (signed by key {board.KeyId}) is not served: the content hashes to", listed.Feed.LastError, StringComparison.Ordinal);
        Assert.Contains($"not the signed {revisionTwo.ContentHash}", listed.Feed.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Restart_WithTheStoredContentAltered_ServesAgainAndRepairsTheStoreWhenTheFeedResendsTheEvent()
    {
        using var board = ReleaseSigningKey.Generate();
        Release revisionTwo;
        await using (var world = await FeedWorld.StartAsync(dataDirectory: _dataDirectory, board: board))
        {
            revisionTwo = await world.PublishAndWait(2, sequence: 1);
        }
        SqliteConnection.ClearAllPools();
        using (var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False"))
        {
            connection.Open();
            using var edit = connection.CreateCommand();
            edit.CommandText = "UPDATE releases SET canonical_content = CAST(replace(canonical_content, '\"dose\":300', '\"dose\":900') AS BLOB)";
            Assert.Equal(1, edit.ExecuteNonQuery());
        }

        await using var again = await FeedWorld.StartAsync(dataDirectory: _dataDirectory, board: board);
        await again.WaitForProblem("the content hashes to");
        await again.Feed.PublishAsync(revisionTwo, sequence: 1);

        await again.WaitUntilServing(revisionTwo.ReleaseId);
        Assert.Equal(300, await again.AlectinibDose());
        Assert.Equal(revisionTwo.CanonicalContent.ToArray(), again.Service.Get<ReleaseStore>().Find(revisionTwo.ReleaseId)!.CanonicalContent.ToArray());
    }

    [Fact]
    public async Task Restart_AfterASignedRetirement_StaysRetired_AndAReplayOfTheOldReleaseIsRefused()
    {
        using var board = ReleaseSigningKey.Generate();
        Release old;
        await using (var world = await FeedWorld.StartAsync(dataDirectory: _dataDirectory, board: board))
        {
            old = await world.PublishAndWait(2, sequence: 1);
            await world.Feed.SendAsync(world.Feed.RetirementMessage("alk-lbcl", "withdrawn by the board", sequence: 2, old));
            await world.WaitFor(r => r.Retired.Count == 1);
        }

        await using var again = await FeedWorld.StartAsync(dataDirectory: _dataDirectory, board: board);
        var afterRestart = await again.WaitFor(r => r.Feed.Connected);
        Assert.Empty(afterRestart.Guidelines);
        Assert.Equal("withdrawn by the board", Assert.Single(afterRestart.Retired).Reason);

        await again.Feed.PublishAsync(old, sequence: 1);

        var listed = await again.WaitForProblem($"Refused release {old.ReleaseId}: its sequence number 1 is not newer than the active 2");
        Assert.Empty(listed.Guidelines);
        var error = await Assert.ThrowsAsync<RpcException>(() => again.Client.RecommendAsync(
            new RecommendRequest { GuidelineId = "alk-lbcl" }, cancellationToken: Ct).ResponseAsync);
        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Contains("withdrawn by the board", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoFeedConfigured_ServesTheEmbeddedSeed_LabelledAsTheBootstrap_AlsoAfterRestart()
    {
        for (var start = 0; start < 2; start++)
        {
            using var service = new RecommendationServiceHost(dataDirectory: _dataDirectory);
            var listed = await service.Recommendations().ListGuidelinesAsync(new ListGuidelinesRequest(), cancellationToken: Ct);

            var release = Assert.Single(listed.Guidelines).Release;
            Assert.Equal(BundledSeedRelease.Create().ReleaseId, release.ReleaseId);
            Assert.Equal(BundledSeedRelease.ApprovalBasis, release.ApprovalBasis);
            Assert.False(listed.Feed.Configured);
            Assert.Equal("", listed.Feed.LastError);
        }
    }

    [Fact]
    public async Task ActivateUnsigned_TamperedRelease_IsRefused_AndTheLastGoodOneKeepsServing()
    {
        using var service = new RecommendationServiceHost(dataDirectory: _dataDirectory);
        var client = service.Recommendations();
        var before = await client.ListGuidelinesAsync(new ListGuidelinesRequest(), cancellationToken: Ct);
        var tampered = TestReleaseFeed.ApprovedRevision(2) with { ContentHash = new string('a', 64) };

        Assert.Throws<ReleaseVerificationException>(() => service.Get<ReleaseActivator>().ActivateUnsigned(tampered));

        var after = await client.ListGuidelinesAsync(new ListGuidelinesRequest(), cancellationToken: Ct);
        Assert.Equal(before.Guidelines[0].Release.ReleaseId, after.Guidelines[0].Release.ReleaseId);
    }

    [Fact]
    public async Task BenchmarkRepublish_WithAFeedConfigured_IsRefused_BecauseOnlySignedEventsGoLive()
    {
        await using var world = await FeedWorld.StartAsync(new Dictionary<string, string> { ["Diagnostics:BenchmarkHooks"] = "true" });
        var good = await world.PublishAndWait(2, sequence: 1);
        using var http = world.Service.CreateClient();

        using var response = await http.PostAsync(new Uri("/diagnostics/republish", UriKind.Relative), null, Ct);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("only signed events from the feed go live", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        await world.WaitUntilServing(good.ReleaseId);
    }

    [Fact]
    public async Task BenchmarkRepublish_WithNoFeed_ServesTheLiveContentAsTheNextRevision()
    {
        using var service = new RecommendationServiceHost(new Dictionary<string, string> { ["Diagnostics:BenchmarkHooks"] = "true" }, dataDirectory: _dataDirectory);
        using var http = service.CreateClient();

        using var response = await http.PostAsync(new Uri("/diagnostics/republish", UriKind.Relative), null, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var listed = await service.Recommendations().ListGuidelinesAsync(new ListGuidelinesRequest(), cancellationToken: Ct);
        Assert.Equal(2, Assert.Single(listed.Guidelines).Release.RevisionNumber);
        Assert.Equal(SeedGuideline.Load().VersionLabel, listed.Guidelines[0].Release.VersionLabel);
    }
}
