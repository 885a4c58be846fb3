using AlkPlatform.Contracts.Releases.V1;
using AlkPlatform.Guidelines.Releases.Signing;
using AlkPlatform.Guidelines.Workflow;
using AlkPlatform.Portal.Tests.Infrastructure;
using AlkPlatform.Testing;
using Dapper;
using Grpc.Net.Client;
using Microsoft.Data.Sqlite;
using DomainRelease = AlkPlatform.Guidelines.Releases.Release;

namespace AlkPlatform.Portal.Tests;

/// <summary>
/// The portal as its own process, killed with SIGKILL while a publisher's publish is in flight: each time, the revision is
/// either fully live (release, signed event, audit entries, live pointer, and on the feed after a restart) or not live at all.
/// </summary>
public sealed class PortalCrashTests : IAsyncDisposable
{
    private const string Guideline = "alk-lbcl";
    // The first run waits for the answer and times it; later runs kill at these fractions of that time, from "before the
    // request is read" through the publish transaction and its commit (each run is a cold process; their times vary).
    private static readonly double[] KillAtFractionOfPublish = [0, 0.8, 1.0, 1.2];

    private readonly LocalIdentityHost _identity = new();
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("alk-portal-process-").FullName;
    private readonly ReleaseSigningKeyFiles _key;

    public PortalCrashTests() => _key = ReleaseSigningKeyFiles.Create(_dataDirectory);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string DatabasePath => Path.Combine(_dataDirectory, "content.db");

    [Fact]
    public async Task Publish_PortalKilledMidPublish_LeavesTheRevisionFullyLiveOrNotLiveAtAll()
    {
        var outcomes = new List<string>();
        Revision? candidate = null;
        TimeSpan? publishTook = null;
        foreach (var fraction in KillAtFractionOfPublish.Prepend(-1))
        {
            // Between runs the portal is down: the board's approved change is prepared on the file itself.
            candidate ??= PrepareApprovedRevision();
            await using var portal = await StartPortalAsync();
            await AssertFeedServesWhatIsLiveAsync(portal);

            using var pia = await SignIn.AsAsync(portal.CreateClient(), SignIn.User("pia.publisher"), _identity, Ct);
            var url = $"/Releases/Publish?id={Guideline}&n={candidate.Number}";
            var page = await pia.GetStringAsync(url, Ct);
            var form = SignIn.Form([
                new("__RequestVerificationToken", SignIn.AntiforgeryToken(page)),
                new("Reason", "Board approved the revised wording."),
                new("Confirmed", "true")]);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var posted = pia.PostAsync(url, form, Ct);
            if (publishTook is { } took)
            {
                await Task.Delay(took * fraction, Ct);
            }
            else
            {
                (await posted).Dispose();
                publishTook = clock.Elapsed;
            }
            var killedAt = clock.Elapsed;
            portal.KillHard();
            try
            {
                (await posted).Dispose();
            }
            catch (HttpRequestException)
            {
                // The portal died before it answered: what it left on disk is the point of the test.
            }

            var live = AssertAllOrNothing(candidate);
            outcomes.Add($"killed at {killedAt.TotalMilliseconds:0} ms of {publishTook.Value.TotalMilliseconds:0}: {(live ? "live" : "not live")}");
            if (live)
            {
                candidate = null;
            }
        }

        await using (var restarted = await StartPortalAsync())
        {
            await AssertFeedServesWhatIsLiveAsync(restarted);
        }
        await File.AppendAllTextAsync(Path.Combine(AppContext.BaseDirectory, "portal-kill-outcomes.txt"),
            $"{DateTimeOffset.UtcNow:O} {string.Join("; ", outcomes)}{Environment.NewLine}", Ct);
        Assert.Contains(outcomes, o => o.EndsWith(": live", StringComparison.Ordinal));
    }

    private Task<PortalProcess> StartPortalAsync() => PortalProcess.StartAsync(_dataDirectory, new Dictionary<string, string>(_key.PortalSettings())
    {
        ["AzureAd:Instance"] = _identity.Origin.ToString(),
        ["AzureAd:TenantId"] = LocalIdentityHost.TenantId,
        ["AzureAd:ClientId"] = LocalIdentityHost.PortalClientId,
        ["AzureAd:ClientSecret"] = _identity.ClientSecret,
    }, Ct, _identity);

    /// <summary>A change of the live revision, reviewed and approved by two approvers, written with the domain library.</summary>
    private Revision PrepareApprovedRevision()
    {
        using var key = _key.LoadKey();
        var workflow = GuidelineWorkflow.Open(DatabasePath, TimeProvider.System, key);
        var approved = BoardMembers.ApprovedChange(workflow, Guideline, c => c with { ChangeSummary = $"Crash-test change {Guid.NewGuid():N}" });
        SqliteConnection.ClearAllPools();
        return approved;
    }

    /// <summary>After the kill: every part of the publish is on disk, or none is; the chain and its anchors are intact either way.</summary>
    private bool AssertAllOrNothing(Revision candidate)
    {
        var releaseId = DomainRelease.MakeId(Guideline, candidate.Number, candidate.SubmittedHash!);
        bool[] parts;
        using (var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False"))
        {
            connection.Open();
            var p = new { Guideline, candidate.Number, releaseId };
            parts =
            [
                connection.ExecuteScalar<string>("SELECT state FROM revisions WHERE guideline_id = @Guideline AND revision_number = @Number", p) == "Live",
                connection.ExecuteScalar<long>("SELECT COUNT(*) FROM releases WHERE release_id = @releaseId", p) == 1,
                connection.ExecuteScalar<long>("SELECT COUNT(*) FROM release_events WHERE release_id = @releaseId AND kind = 'release'", p) == 1,
                connection.ExecuteScalar<long>("SELECT COUNT(*) FROM audit_entries WHERE action = 'published' AND revision_number = @Number", p) == 1,
                connection.ExecuteScalar<string>("SELECT release_id FROM live_releases WHERE guideline_id = @Guideline", p) == releaseId,
            ];
        }
        Assert.True(parts.All(x => x) || !parts.Any(x => x),
            $"revision {candidate.Number} is half live: state Live={parts[0]}, release row={parts[1]}, signed event={parts[2]}, audit entry={parts[3]}, live pointer={parts[4]}");

        using var key = _key.LoadKey();
        var workflow = GuidelineWorkflow.Open(DatabasePath, TimeProvider.System, key);
        var chain = workflow.VerifyAuditTrail();
        var anchoring = workflow.VerifyAuditAnchors();
        SqliteConnection.ClearAllPools();
        Assert.True(chain.IsIntact, chain.Problem);
        Assert.True(anchoring.IsAnchored, string.Join(Environment.NewLine, anchoring.Problems));
        return parts[0];
    }

    /// <summary>The restarted portal's feed sends, for the guideline, the release that is live on disk with its signed event.</summary>
    private async Task AssertFeedServesWhatIsLiveAsync(PortalProcess portal)
    {
        string liveReleaseId;
        using (var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False"))
        {
            connection.Open();
            liveReleaseId = connection.ExecuteScalar<string>("SELECT release_id FROM live_releases WHERE guideline_id = @Guideline", new { Guideline })!;
        }
        using var channel = GrpcChannel.ForAddress(portal.ReleaseFeedOrigin);
        using var call = new ReleaseFeedService.ReleaseFeedServiceClient(
                channel.WithBearer(() => _identity.TokenFor(LocalIdentityHost.Service, LocalIdentityHost.Portal)))
            .WatchReleases(new WatchReleasesRequest { SubscriberId = "crash-test" }, cancellationToken: Ct);
        Assert.True(await call.ResponseStream.MoveNext(Ct));
        var release = call.ResponseStream.Current.Release;

        Assert.Equal(liveReleaseId, release.ReleaseId);
        using var trusted = _key.Trusted();
        var signed = release.SignedEvent.ToDomain();
        Assert.Null(trusted.Check(signed));
        Assert.Equal(liveReleaseId, ReleaseEventEnvelope.Parse(signed.Envelope.Span).ReleaseId);
        if (release.RevisionNumber > 1)
        {
            new ReleaseEventVerifier(trusted, approvalQuorum: 2).VerifyRelease(release.ReleaseId, signed, release.CanonicalContent.Memory, active: null);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _identity.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless.
        }
    }
}
