using System.Text;
using AlkPlatform.Contracts.Recommendation.V1;
using AlkPlatform.Guidelines.Releases;
using AlkPlatform.Guidelines.Releases.Signing;
using AlkPlatform.Testing;
using Grpc.Core;
using Grpc.Health.V1;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AlkPlatform.Recommendations.Tests;

/// <summary>
/// Bytes of the persisted release changed on disk, under SQLite (bit rot, a bad copy): the content hash no longer matches
/// the signed one, so it is not served. With a feed configured nothing is served until the feed sends a good release;
/// with none, the bundled seed is served instead. Health says which.
/// </summary>
public sealed class CorruptReleaseTests : IDisposable
{
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("alk-corrupt-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dataDirectory, recursive: true);
    }

    [Fact]
    public async Task Restart_WithAFeed_AndTheReleaseBytesChangedOnDisk_ServesNothing_AndHealthIsNotServingNamingIt()
    {
        using var board = ReleaseSigningKey.Generate();
        var (release, settings) = await PersistSignedRelease(board);
        CorruptOnDisk();

        using var restarted = new RecommendationServiceHost(settings, dataDirectory: _dataDirectory);
        var error = await Assert.ThrowsAsync<RpcException>(() => restarted.Recommendations().RecommendAsync(ReferencePatients.RelapsedRefractory70Kg, cancellationToken: Ct).ResponseAsync);
        var wire = await new Health.HealthClient(restarted.Channel).CheckAsync(new HealthCheckRequest(), cancellationToken: Ct);
        var check = (await restarted.Get<HealthCheckService>().CheckHealthAsync(Ct)).Entries["releases"];

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, wire.Status);
        Assert.Equal(HealthStatus.Unhealthy, check.Status);
        Assert.Contains($"Persisted release {release.ReleaseId} (signed by key {board.KeyId}) is not served: the content hashes to", check.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Restart_WithNoFeed_AndTheReleaseBytesChangedOnDisk_FallsBackToTheBundledSeed_AndHealthIsDegradedNamingIt()
    {
        using var board = ReleaseSigningKey.Generate();
        var (release, settings) = await PersistSignedRelease(board);
        CorruptOnDisk();
        settings.Remove("ReleaseFeed:Address");

        using var restarted = new RecommendationServiceHost(settings, dataDirectory: _dataDirectory);
        var listed = await restarted.Recommendations().ListGuidelinesAsync(new ListGuidelinesRequest(), cancellationToken: Ct);
        var answer = await restarted.Recommendations().RecommendAsync(ReferencePatients.RelapsedRefractory70Kg, cancellationToken: Ct);
        var check = (await restarted.Get<HealthCheckService>().CheckHealthAsync(Ct)).Entries["releases"];

        Assert.Equal(BundledSeedRelease.Create().ReleaseId, Assert.Single(listed.Guidelines).Release.ReleaseId);
        Assert.Equal(300, answer.Cards.Single(c => c.Id == "rr-alectinib").Therapy.Dose);
        Assert.Equal(HealthStatus.Degraded, check.Status);
        Assert.Contains($"Persisted release {release.ReleaseId}", check.Description, StringComparison.Ordinal);
        Assert.Contains("is not served: the content hashes to", listed.Feed.LastError, StringComparison.Ordinal);
    }

    private async Task<(Release Release, Dictionary<string, string> Settings)> PersistSignedRelease(ReleaseSigningKey board)
    {
        await using var world = await FeedWorld.StartAsync(dataDirectory: _dataDirectory, board: board);
        var release = await world.PublishAndWait(2, sequence: 1);
        return (release, world.Feed.ServiceSettings());
    }

    /// <summary>Changes the stored content's alectinib dose in the file itself: SQLite keeps no checksum that would notice.</summary>
    private void CorruptOnDisk()
    {
        SqliteConnection.ClearAllPools();
        var path = Path.Combine(_dataDirectory, "recommendations.db");
        var bytes = File.ReadAllBytes(path);
        var from = Encoding.UTF8.GetBytes("\"dose\":300");
        var changed = 0;
        for (var at = bytes.AsSpan().IndexOf(from); at >= 0; at = bytes.AsSpan().IndexOf(from))
        {
            bytes[at + 8] = (byte)'9';
            changed++;
        }
        Assert.True(changed > 0, "the stored release was not found in the database file");
        File.WriteAllBytes(path, bytes);
    }
}
