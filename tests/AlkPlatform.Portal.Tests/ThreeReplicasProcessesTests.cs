using System.Globalization;
using AlkPlatform.Contracts.Recommendation.V1;
using AlkPlatform.Portal.Tests.Infrastructure;
using AlkPlatform.Testing;
using Grpc.Core;
using Grpc.Health.V1;

namespace AlkPlatform.Portal.Tests;

/// <summary>
/// Three recommendation-service replicas, each its own process with its own data directory, all following one portal
/// process's release feed, wired only by configuration with real app tokens: a publish in the portal's pages reaches every
/// replica within a second; with the portal stopped every replica keeps serving; after its restart they all catch up.
/// </summary>
public sealed class ThreeReplicasProcessesTests : IAsyncDisposable
{
    private const int Replicas = 3;

    /// <summary>What the board was promised: a published release is what every replica answers from within a second.</summary>
    private static readonly TimeSpan PublishToEveryReplica = TimeSpan.FromSeconds(1);

    private readonly PortalProcessWorld _world = new("three-replicas");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ThreeReplicas_PublishPortalDownRestart_EveryReplicaServesTheNewReleaseInASecond_KeepsServing_CatchesUp()
    {
        var key = ReleaseSigningKeyFiles.Create(_world.Folder("key"));
        var first = _world.PrepareApprovedRevision("2026.2", key);
        var second = _world.PrepareApprovedRevision("2026.3", key);
        var portal = await _world.StartPortalAsync(key.PortalSettings());
        var feed = portal.ReleaseFeedOrigin;
        var replicas = await Task.WhenAll(Enumerable.Range(0, Replicas).Select(i => RecommendationServiceProcess.StartAsync(
            _world.Folder($"replica-{i}"),
            new Dictionary<string, string>(RecommendationServiceProcess.FollowingFeed(feed, key.PublicKeyPem)) { ["ReleaseFeed:SubscriberId"] = $"replica-{i}" },
            Ct, _world.Identity)));
        try
        {
            // Every replica is on the feed before the publish, so what is measured is the push, not a first connection.
            await EachAsync(replicas, r => Eventually.Until(() => r.Client.ListGuidelinesAsync(new ListGuidelinesRequest(), cancellationToken: Ct).ResponseAsync,
                s => s.Feed.Connected, Ct), (r, s) => Assert.True(s.Feed.Connected, $"never connected to the feed: {r.Output}"));

            // The first board release: a replica that has just started activates for the first time (recorded, not held to the second).
            var publish = await PublishAsync(portal, first);
            var started = await AnsweredFromEachAsync(replicas, "2026.2", publish, Eventually.DefaultTimeout);
            await RecordAsync("first release after the replicas started", publish, started);
            AssertAnsweredFrom(replicas, started, "2026.2", Eventually.DefaultTimeout);
            var published = started[0].Answer!.Release;
            Assert.Equal("board approval: 2 distinct approvers (quorum 2)", published.ApprovalBasis);

            // The next release published in the pages: within a second of the form's response every replica answers from it.
            publish = await PublishAsync(portal, second);
            var live = await AnsweredFromEachAsync(replicas, "2026.3", publish, PublishToEveryReplica);
            await RecordAsync("publish", publish, live);
            AssertAnsweredFrom(replicas, live, "2026.3", PublishToEveryReplica);
            var current = live[0].Answer!.Release;
            Assert.NotEqual(published.ReleaseId, current.ReleaseId);

            // The portal stops: each replica notices, and still answers from the release and reports itself serving.
            await portal.StopAsync();
            await EachAsync(replicas, r => Eventually.Until(() => r.Client.ListGuidelinesAsync(new ListGuidelinesRequest(), cancellationToken: Ct).ResponseAsync,
                s => !s.Feed.Connected, Ct), (r, s) => Assert.False(s.Feed.Connected, $"still connected to a stopped portal: {r.Output}"));
            foreach (var replica in replicas)
            {
                var whileDown = await replica.Client.RecommendAsync(ReferencePatients.RelapsedRefractory70Kg, cancellationToken: Ct);
                Assert.Equal(current.ReleaseId, whileDown.Release.ReleaseId);
                Assert.NotEmpty(whileDown.Cards);
                var health = await new Health.HealthClient(replica.Channel).CheckAsync(new HealthCheckRequest(), cancellationToken: Ct);
                Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
            }

            // The portal restarts on the same data directory and feed port and the board rolls back at once: every replica
            // catches up, reconnecting first if its backoff has not come round yet.
            await portal.DisposeAsync();
            portal = await _world.StartPortalAsync(key.PortalSettings(), feed);
            var rollback = await _world.PostAsync(portal, "pia.publisher", $"/Releases/Rollback?id={PortalProcessWorld.Guideline}",
                [new("ToRevision", first.Number.ToString(CultureInfo.InvariantCulture)),
                 new("Reason", "The 2026.3 wording is under review again."), new("Confirmed", "true")]);
            var caughtUp = await AnsweredFromEachAsync(replicas, "2026.2", rollback, Eventually.DefaultTimeout);
            await RecordAsync("rollback right after the portal's restart", rollback, caughtUp);
            AssertAnsweredFrom(replicas, caughtUp, "2026.2", Eventually.DefaultTimeout);
            Assert.All(caughtUp, c => Assert.Equal(published.ReleaseId, c.Answer!.Release.ReleaseId));
            Assert.All(replicas, r => Assert.False(r.HasExited, r.Output));
        }
        finally
        {
            await Task.WhenAll(replicas.Select(r => r.DisposeAsync().AsTask()));
            await portal.DisposeAsync();
        }
    }

    private Task<PostedForm> PublishAsync(PortalProcess portal, Guidelines.Workflow.Revision revision) =>
        _world.PostAsync(portal, "pia.publisher", $"/Releases/Publish?id={PortalProcessWorld.Guideline}&n={revision.Number}",
            [new("Reason", $"Board approved the {revision.Content.VersionLabel} wording."), new("Confirmed", "true")]);

    /// <summary>
    /// Polls every replica at once until it answers from <paramref name="versionLabel"/> or <paramref name="within"/> of the
    /// form's response has passed; each answer comes with when it arrived, counted from that response.
    /// </summary>
    private static Task<(RecommendResponse? Answer, TimeSpan After)[]> AnsweredFromEachAsync(RecommendationServiceProcess[] replicas,
        string versionLabel, PostedForm form, TimeSpan within) =>
        Task.WhenAll(replicas.Select(async r =>
        {
            var answer = await Eventually.Until(() => AnswerAsync(r), a => a?.Release.VersionLabel == versionLabel, Ct, within - form.SinceAnswered.Elapsed);
            return (answer, form.SinceAnswered.Elapsed);
        }));

    private static void AssertAnsweredFrom(RecommendationServiceProcess[] replicas, (RecommendResponse? Answer, TimeSpan After)[] answers, string versionLabel,
        TimeSpan within)
    {
        for (var i = 0; i < replicas.Length; i++)
        {
            var (answer, after) = answers[i];
            Assert.True(answer?.Release.VersionLabel == versionLabel && after <= within,
                $"replica {i} answered from {answer?.Release.ReleaseId ?? "nothing"} {after.TotalMilliseconds:0} ms after the form's response "
                + $"(expected {versionLabel} within {within.TotalMilliseconds:0} ms): {replicas[i].Output}");
        }
    }

    /// <summary>The replica's answer for the reference patient, or null while it has no release to answer from.</summary>
    private static async Task<RecommendResponse?> AnswerAsync(RecommendationServiceProcess replica)
    {
        try
        {
            return await replica.Client.RecommendAsync(ReferencePatients.RelapsedRefractory70Kg, cancellationToken: Ct);
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.Unavailable)
        {
            return null;
        }
    }

    private static async Task EachAsync<T>(RecommendationServiceProcess[] replicas, Func<RecommendationServiceProcess, Task<T>> read,
        Action<RecommendationServiceProcess, T> check)
    {
        var values = await Task.WhenAll(replicas.Select(read));
        for (var i = 0; i < replicas.Length; i++)
        {
            check(replicas[i], values[i]);
        }
    }

    /// <summary>Appends the measured times to the artifact the publish tests share, for the operator's eye and the lead's figures.</summary>
    private static Task RecordAsync(string what, PostedForm form, (RecommendResponse? Answer, TimeSpan After)[] answers) =>
        File.AppendAllTextAsync(Path.Combine(AppContext.BaseDirectory, "publish-to-live.txt"), string.Create(CultureInfo.InvariantCulture,
            $"{DateTimeOffset.UtcNow:O} portal process → {answers.Length} replica processes, {what}: each answered from it "
            + $"{string.Join(" / ", answers.Select(a => a.Answer is null ? "never" : $"{a.After.TotalMilliseconds:0}"))} ms after the form's response "
            + $"(the form took {(form.SincePosted.Elapsed - form.SinceAnswered.Elapsed).TotalMilliseconds:0} ms){Environment.NewLine}"), Ct);

    public ValueTask DisposeAsync() => _world.DisposeAsync();
}
