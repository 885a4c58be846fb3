using AlkPlatform.Contracts.Recommendation.V1;
using AlkPlatform.Portal.Tests.Infrastructure;
using AlkPlatform.Testing;
using Grpc.Core;
using Microsoft.Data.Sqlite;

namespace AlkPlatform.Portal.Tests;

/// <summary>
/// The real portal and the real recommendation service, each its own process, wired only by configuration: the board's
/// publish, a signing-key rotation, a rollback and a retirement done in the portal's pages each reach the service as a
/// signed event that it verifies before it answers from it.
/// </summary>
public sealed class PortalAndServiceProcessesTests : IAsyncDisposable
{
    private const string Guideline = PortalProcessWorld.Guideline;

    private readonly PortalProcessWorld _world = new("portal-and-service");
    private readonly ReleaseSigningKeyFiles _oldKey;
    private readonly ReleaseSigningKeyFiles _newKey;

    public PortalAndServiceProcessesTests()
    {
        _oldKey = ReleaseSigningKeyFiles.Create(_world.Folder("old-key"));
        _newKey = ReleaseSigningKeyFiles.Create(_world.Folder("new-key"));
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string ServiceData => _world.Folder("service");

    [Fact]
    public async Task PortalAndServiceProcesses_PublishRotateRollbackRetire_ServiceAnswersFromEachSignedEvent()
    {
        var first = _world.PrepareApprovedRevision("2026.2", _oldKey);
        var portal = await _world.StartPortalAsync(_oldKey.PortalSettings());
        var feed = portal.ReleaseFeedOrigin;
        var service = await RecommendationServiceProcess.StartAsync(ServiceData,
            RecommendationServiceProcess.FollowingFeed(feed, _oldKey.PublicKeyPem, _newKey.PublicKeyPem), Ct, _world.Identity);
        try
        {
            // Publish in the pages: the service answers from the board's release, whose approvals it checked.
            var publish = await _world.PostAsync(portal, "pia.publisher", $"/Releases/Publish?id={Guideline}&n={first.Number}",
                [new("Reason", "Board approved the 2026.2 wording."), new("Confirmed", "true")]);
            var published = await AnsweredFromAsync(service, "2026.2");
            await File.AppendAllTextAsync(Path.Combine(AppContext.BaseDirectory, "publish-to-live.txt"),
                $"{DateTimeOffset.UtcNow:O} portal process → service process: answered from the new release {publish.SincePosted.Elapsed.TotalMilliseconds:0} ms after the publish form was posted{Environment.NewLine}", Ct);
            Assert.Equal("board approval: 2 distinct approvers (quorum 2)", published.Release.ApprovalBasis);

            // Rotation: the portal restarts with the new key and the old public key; it re-signs the live event with the
            // new key. A service that then trusts only the new key still serves that release after its restart.
            await portal.DisposeAsync();
            portal = await _world.StartPortalAsync(new Dictionary<string, string>(_newKey.PortalSettings())
            {
                ["ReleaseSigning:PreviousPublicKeys:0"] = _oldKey.PublicKeyPem,
            }, feed);
            await WaitForActivationsAsync(service, published.Release.ReleaseId, _newKey.KeyId);
            await service.DisposeAsync();
            service = await RecommendationServiceProcess.StartAsync(ServiceData, RecommendationServiceProcess.FollowingFeed(feed, _newKey.PublicKeyPem), Ct, _world.Identity);
            var afterRotation = await service.Client.RecommendAsync(ReferencePatients.RelapsedRefractory70Kg, cancellationToken: Ct);
            Assert.Equal(published.Release.ReleaseId, afterRotation.Release.ReleaseId);

            // A later release, signed with the new key only.
            await portal.DisposeAsync();
            var second = _world.PrepareApprovedRevision("2026.3", _newKey);
            portal = await _world.StartPortalAsync(_newKey.PortalSettings(), feed);
            await _world.PostAsync(portal, "pia.publisher", $"/Releases/Publish?id={Guideline}&n={second.Number}",
                [new("Reason", "Board approved the 2026.3 wording."), new("Confirmed", "true")]);
            var later = await AnsweredFromAsync(service, "2026.3");

            // Rollback in the pages to the first board release: a signed rollback the service follows past a newer release.
            await _world.PostAsync(portal, "pia.publisher", $"/Releases/Rollback?id={Guideline}",
                [new("ToRevision", first.Number.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                 new("Reason", "The 2026.3 wording is under review again."), new("Confirmed", "true")]);
            var rolledBack = await AnsweredFromAsync(service, "2026.2");
            Assert.Equal(published.Release.ReleaseId, rolledBack.Release.ReleaseId);
            Assert.NotEqual(later.Release.ReleaseId, rolledBack.Release.ReleaseId);

            // Retirement in the pages: the guideline goes offline in the service too.
            await _world.PostAsync(portal, "otto.ops", $"/Releases/Retire?id={Guideline}",
                [new("Reason", "Withdrawn by the board."), new("Confirmed", "true")]);
            var retired = await Eventually.Until(() => service.Client.ListGuidelinesAsync(new ListGuidelinesRequest(), cancellationToken: Ct).ResponseAsync,
                r => r.Guidelines.Count == 0, Ct);
            Assert.Empty(retired.Guidelines);
            var refused = await Assert.ThrowsAsync<RpcException>(() => service.Client.RecommendAsync(ReferencePatients.RelapsedRefractory70Kg, cancellationToken: Ct).ResponseAsync);
            Assert.NotEqual(StatusCode.OK, refused.StatusCode);
            Assert.False(service.HasExited, service.Output);
        }
        finally
        {
            await service.DisposeAsync();
            await portal.DisposeAsync();
        }
    }

    /// <summary>Waits until the service holds an activation of <paramref name="releaseId"/> signed by <paramref name="keyId"/>.</summary>
    private async Task WaitForActivationsAsync(RecommendationServiceProcess service, string releaseId, string keyId)
    {
        var database = Path.Combine(ServiceData, "recommendations.db");
        var held = await Eventually.Until(() =>
        {
            using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT COUNT(*) FROM release_activations WHERE release_id = $release AND key_id = $key";
            command.Parameters.AddWithValue("$release", releaseId);
            command.Parameters.AddWithValue("$key", keyId);
            return Task.FromResult((long)command.ExecuteScalar()!);
        }, count => count > 0, Ct);
        Assert.True(held > 0, $"the service never activated {releaseId} re-signed by {keyId}: {service.Output}");
    }

    private static async Task<RecommendResponse> AnsweredFromAsync(RecommendationServiceProcess service, string versionLabel)
    {
        var answer = await Eventually.Until(() => service.Client.RecommendAsync(ReferencePatients.RelapsedRefractory70Kg, cancellationToken: Ct).ResponseAsync,
            r => r.Release.VersionLabel == versionLabel, Ct);
        Assert.True(answer.Release.VersionLabel == versionLabel, $"still answering from {answer.Release.ReleaseId}: {service.Output}");
        return answer;
    }

    public ValueTask DisposeAsync() => _world.DisposeAsync();
}
