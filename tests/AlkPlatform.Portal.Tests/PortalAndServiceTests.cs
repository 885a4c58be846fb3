using System.Diagnostics;
using AlkPlatform.Contracts.Recommendation.V1;
using AlkPlatform.Guidelines.Workflow;
using AlkPlatform.Portal.Tests.Infrastructure;
using AlkPlatform.Testing;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;

namespace AlkPlatform.Portal.Tests;

/// <summary>The portal and the recommendation service together: a release published in the portal goes live in the service.</summary>
public sealed class PortalAndServiceTests : IAsyncLifetime
{
    private readonly PortalWorld _world = new() { OnKestrel = true };
    private readonly string _serviceData = Directory.CreateTempSubdirectory("alk-platform-service-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => _world.InitializeAsync();

    public async ValueTask DisposeAsync()
    {
        await _world.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_serviceData, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless.
        }
    }

    [Fact]
    public async Task PublishInPortal_ServiceAnswersFromIt_KeepsItWhenThePortalStops_AndServesItAfterRestart()
    {
        var workflow = _world.Portal.Services.GetRequiredService<GuidelineWorkflow>();
        var seedRelease = workflow.GetLiveRelease("alk-lbcl")!;

        // The trusted key as text, not as the portal's file: the portal's data directory goes away with it below.
        var following = new Dictionary<string, string>(_world.Portal.ServiceFollowingFeed().Where(s => !s.Key.StartsWith("ReleaseTrust:", StringComparison.Ordinal)))
        {
            ["ReleaseTrust:TrustedKeys:0"] = await File.ReadAllTextAsync(_world.Portal.SigningKey.PublicKeyFile, Ct),
        };
        await using (var service = await RecommendationServiceProcess.StartAsync(_serviceData, following, Ct, _world.Identity))
        {
            // A fresh portal's live revision is the bootstrap seed, which no board quorum approved: a service following the
            // feed refuses it and says why, instead of serving unreviewed content.
            var connected = await Eventually.Until(() => service.Client.ListGuidelinesAsync(new ListGuidelinesRequest(), cancellationToken: Ct).ResponseAsync,
                r => r.Feed.Connected && r.Feed.LastError.Length > 0, Ct);
            Assert.True(connected.Feed.Connected);
            Assert.Empty(connected.Guidelines);
            Assert.Contains(seedRelease.ReleaseId, connected.Feed.LastError, StringComparison.Ordinal);
            Assert.Contains("the quorum is 2", connected.Feed.LastError, StringComparison.Ordinal);

            // The board changes the alectinib card's wording, approves it with a quorum of two and publishes it.
            var approved = BoardMembers.ApprovedChange(workflow, "alk-lbcl", content => content with
            {
                VersionLabel = "2026.2",
                Rules = [.. content.Rules.Select(r => r.Id == "R-RR-ALECTINIB" ? r with { Card = r.Card with { Summary = "Prioritize alectinib (preferred ALK inhibitor) for relapsed/refractory ALK+ LBCL." } } : r)],
            });
            var clock = Stopwatch.StartNew();
            var published = workflow.Publish(BoardMembers.Actor("pia.publisher"), "alk-lbcl", approved.Number, "Board approved the updated alectinib dosing.");
            var answer = await Eventually.Until(() => service.Client.RecommendAsync(ReferencePatients.RelapsedRefractory70Kg, cancellationToken: Ct).ResponseAsync,
                r => r.Release.ReleaseId == published.ReleaseId, Ct);
            var toLive = clock.Elapsed;
            // Recorded for the operator's eye (the machine is too noisy for a timing assertion).
            var line = $"{DateTimeOffset.UtcNow:O} publish → answered from the new release in {toLive.TotalMilliseconds:0} ms{Environment.NewLine}";
            await File.AppendAllTextAsync(Path.Combine(AppContext.BaseDirectory, "publish-to-live.txt"), line, Ct);

            Assert.Equal(published.ReleaseId, answer.Release.ReleaseId);
            Assert.Equal(published.ContentHash, answer.Release.ContentHash);
            Assert.Equal("board approval: 2 distinct approvers (quorum 2)", answer.Release.ApprovalBasis);
            Assert.Equal("Prioritize alectinib (preferred ALK inhibitor) for relapsed/refractory ALK+ LBCL.",
                answer.Cards.Single(c => c.Id == "rr-alectinib").Summary);

            // The portal goes away: the service keeps answering from the last release and says the feed is down.
            await _world.Portal.DisposeAsync();
            var down = await Eventually.Until(() => service.Client.ListGuidelinesAsync(new ListGuidelinesRequest(), cancellationToken: Ct).ResponseAsync,
                r => !r.Feed.Connected, Ct);
            Assert.False(down.Feed.Connected);
            var whileDown = await service.Client.RecommendAsync(ReferencePatients.RelapsedRefractory70Kg, cancellationToken: Ct);
            Assert.Equal(published.ReleaseId, whileDown.Release.ReleaseId);
        }

        // The service restarts with the portal still down: it serves the persisted release, not the bundled seed.
        await using var restarted = await RecommendationServiceProcess.StartAsync(_serviceData, following, Ct, _world.Identity);
        var afterRestart = await restarted.Client.RecommendAsync(ReferencePatients.RelapsedRefractory70Kg, cancellationToken: Ct);
        Assert.NotEqual(seedRelease.ReleaseId, afterRestart.Release.ReleaseId);
        Assert.Equal("2026.2", afterRestart.Release.VersionLabel);
        var status = await restarted.Client.ListGuidelinesAsync(new ListGuidelinesRequest(), cancellationToken: Ct);
        Assert.False(status.Feed.Connected);
    }

    [Fact]
    public async Task RollbackAndRetirementInPortal_ServiceFollowsEachSignedEvent()
    {
        var workflow = _world.Portal.Services.GetRequiredService<GuidelineWorkflow>();
        var publisher = BoardMembers.Actor("pia.publisher");
        await using var service = await RecommendationServiceProcess.StartAsync(_serviceData, _world.Portal.ServiceFollowingFeed(), Ct, _world.Identity);

        var first = workflow.Publish(publisher, "alk-lbcl", BoardMembers.ApprovedChange(workflow, "alk-lbcl", c => c with { VersionLabel = "2026.2" }).Number, "First board release.");
        await Eventually.Until(() => service.Client.ListGuidelinesAsync(new ListGuidelinesRequest(), cancellationToken: Ct).ResponseAsync,
            r => r.Guidelines.Any(g => g.Release.ReleaseId == first.ReleaseId), Ct);
        var second = workflow.Publish(publisher, "alk-lbcl", BoardMembers.ApprovedChange(workflow, "alk-lbcl", c => c with { VersionLabel = "2026.3" }).Number, "Second board release.");
        await Eventually.Until(() => service.Client.ListGuidelinesAsync(new ListGuidelinesRequest(), cancellationToken: Ct).ResponseAsync,
            r => r.Guidelines.Any(g => g.Release.ReleaseId == second.ReleaseId), Ct);

        // A signed rollback takes the service back to the earlier revision, which a plain replay of it could not.
        workflow.Rollback(publisher, "alk-lbcl", first.RevisionNumber, "The second release's wording is under review again.");
        var rolledBack = await Eventually.Until(() => service.Client.RecommendAsync(ReferencePatients.RelapsedRefractory70Kg, cancellationToken: Ct).ResponseAsync,
            r => r.Release.ReleaseId == first.ReleaseId, Ct);
        Assert.Equal(first.ReleaseId, rolledBack.Release.ReleaseId);

        // A signed retirement takes the guideline offline in the service too.
        workflow.Retire(BoardMembers.Actor("otto.ops"), "alk-lbcl", "Withdrawn by the board.");
        var retired = await Eventually.Until(() => service.Client.ListGuidelinesAsync(new ListGuidelinesRequest(), cancellationToken: Ct).ResponseAsync,
            r => r.Guidelines.Count == 0, Ct);
        Assert.Empty(retired.Guidelines);
        var refused = await Assert.ThrowsAsync<RpcException>(() => service.Client.RecommendAsync(ReferencePatients.RelapsedRefractory70Kg, cancellationToken: Ct).ResponseAsync);
        Assert.NotEqual(StatusCode.OK, refused.StatusCode);
    }
}
