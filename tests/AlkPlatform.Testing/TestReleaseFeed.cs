using System.Net;
using System.Threading.Channels;
using AlkPlatform.Contracts.Releases.V1;
using AlkPlatform.Guidelines.Content;
using AlkPlatform.Guidelines.Releases;
using AlkPlatform.Guidelines.Releases.Signing;
using AlkPlatform.Guidelines.Storage;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Release = AlkPlatform.Guidelines.Releases.Release;

namespace AlkPlatform.Testing;

/// <summary>
/// A real gRPC release feed on a loopback port that a test drives message by message, built as the portal builds its
/// messages (the Contracts mapping) and signed as the portal signs (<see cref="ReleaseSigningKey"/>) with a board key of its
/// own, whose public half <see cref="ServiceSettings"/> tells the service to trust. Tests alter the messages it builds to
/// play a feed nobody authorised.
/// </summary>
public sealed class TestReleaseFeed : IAsyncDisposable
{
    public const string Guideline = "alk-lbcl";

    /// <summary>What a service following a feed asks its app token for: the portal's API.</summary>
    public const string PortalFeedScope = $"api://{LocalIdentityHost.PortalClientId}/.default";

    private static readonly DateTimeOffset ApprovedAt = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    private readonly WebApplication _app;
    private readonly FeedEvents _events;
    private readonly bool _ownsKey;

    private TestReleaseFeed(WebApplication app, FeedEvents events, ReleaseSigningKey board, bool ownsKey)
    {
        _app = app;
        _events = events;
        Board = board;
        _ownsKey = ownsKey;
        Address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
    }

    public string Address { get; }

    public int Port => new Uri(Address).Port;

    /// <summary>The key this feed signs with, as the portal's signing key.</summary>
    public ReleaseSigningKey Board { get; }

    /// <param name="port">A fixed port, to bring a feed back where a stopped one was.</param>
    /// <param name="board">The signing key; by default a new one that the feed disposes.</param>
    public static async Task<TestReleaseFeed> StartAsync(int port = 0, ReleaseSigningKey? board = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        // The test output folder holds the service's appsettings.json (port 5080); this feed must not read it.
        builder.Configuration.Sources.Clear();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, port, l => l.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        var events = new FeedEvents();
        builder.Services.AddSingleton(events);
        var app = builder.Build();
        app.MapGrpcService<FeedService>();
        await app.StartAsync();
        return new TestReleaseFeed(app, events, board ?? ReleaseSigningKey.Generate(), ownsKey: board is null);
    }

    /// <summary>
    /// Settings for a service that follows this feed (or <paramref name="address"/>, e.g. a relay in front of it) and trusts
    /// the board key and <paramref name="alsoTrusted"/>.
    /// </summary>
    public Dictionary<string, string> ServiceSettings(string? address = null, params ReleaseSigningKey[] alsoTrusted)
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["ReleaseFeed:Address"] = address ?? Address,
            ["ReleaseFeed:Scope"] = PortalFeedScope,
        };
        var keys = new[] { Board }.Concat(alsoTrusted).ToList();
        for (var i = 0; i < keys.Count; i++)
        {
            settings[$"ReleaseTrust:TrustedKeys:{i}"] = keys[i].ExportPublicKeyPem();
        }
        return settings;
    }

    /// <summary>A revision of <paramref name="content"/> approved by two distinct board members, as the portal releases it.</summary>
    public static Release Approved(GuidelineContent content, int revisionNumber, params string[] approvers)
    {
        ArgumentNullException.ThrowIfNull(content);
        var cut = Release.Cut(content, revisionNumber, ApprovedAt, ApprovedAt.AddMinutes(5),
            "board approval: 2 distinct approvers (quorum 2)", []);
        return cut with { Approvals = [.. (approvers.Length > 0 ? approvers : ["board-member-1", "board-member-2"]).Select(a => Approval(a, cut.ContentHash))] };
    }

    /// <summary>The seed guideline's content re-labelled, so each revision a test makes has its own hash.</summary>
    public static Release ApprovedRevision(int revisionNumber) =>
        Approved(SeedGuideline.Load() with { VersionLabel = $"test-{revisionNumber}" }, revisionNumber);

    public static RevisionApproval Approval(string approverId, string contentHash) =>
        new(approverId, approverId, ApprovedAt, "I approve this content for clinical use", contentHash);

    /// <summary>What the portal signs for <paramref name="release"/> going live as event <paramref name="sequence"/> of its guideline.</summary>
    public static ReleaseEventEnvelope Envelope(Release release, long sequence, ReleaseEventKind kind = ReleaseEventKind.Release)
    {
        ArgumentNullException.ThrowIfNull(release);
        return new ReleaseEventEnvelope
        {
            Kind = kind,
            GuidelineId = release.GuidelineId,
            ReleaseId = release.ReleaseId,
            RevisionNumber = release.RevisionNumber,
            ContentHash = release.ContentHash,
            Approvals = release.Approvals,
            ApprovalBasis = release.ApprovalBasis,
            Reason = kind == ReleaseEventKind.Rollback ? "rolled back by the test" : "released by the test",
            EventAt = release.PublishedAt,
            Sequence = sequence,
            AuditHead = new AuditChainHead(sequence * 10, new string('c', 64)),
            KeyId = "",
        };
    }

    /// <summary>The feed message for a release or rollback, signed over <paramref name="envelope"/> (by default the release's own).</summary>
    public WatchReleasesResponse ReleaseMessage(Release release, long sequence, ReleaseEventKind kind = ReleaseEventKind.Release,
        ReleaseSigningKey? signer = null, ReleaseEventEnvelope? envelope = null)
    {
        var message = Contracts.Releases.V1.Release.FromDomain(release);
        message.SignedEvent = SignedEvent.FromDomain((signer ?? Board).Sign(envelope ?? Envelope(release, sequence, kind)));
        return new WatchReleasesResponse { Release = message };
    }

    /// <summary>The feed message retiring <paramref name="guidelineId"/>, signed as event <paramref name="sequence"/>.</summary>
    public WatchReleasesResponse RetirementMessage(string guidelineId, string reason, long sequence, Release? wasLive = null, ReleaseSigningKey? signer = null)
    {
        var at = ApprovedAt.AddDays(1);
        var message = WatchReleasesResponse.FromDomain(new GuidelineWasRetired(new RetiredGuideline(guidelineId, reason, at)));
        message.Retired.SignedEvent = SignedEvent.FromDomain((signer ?? Board).Sign(new ReleaseEventEnvelope
        {
            Kind = ReleaseEventKind.Retirement,
            GuidelineId = guidelineId,
            ReleaseId = wasLive?.ReleaseId ?? "",
            RevisionNumber = wasLive?.RevisionNumber ?? 0,
            ContentHash = wasLive?.ContentHash ?? "",
            Approvals = [],
            ApprovalBasis = "",
            Reason = reason,
            EventAt = at,
            Sequence = sequence,
            AuditHead = new AuditChainHead(sequence * 10, new string('c', 64)),
            KeyId = "",
        }));
        return message;
    }

    public ValueTask SendAsync(WatchReleasesResponse message) => _events.Channel.Writer.WriteAsync(message);

    /// <summary>Signs and sends <paramref name="release"/> as event <paramref name="sequence"/>.</summary>
    public ValueTask PublishAsync(Release release, long sequence, ReleaseEventKind kind = ReleaseEventKind.Release, ReleaseSigningKey? signer = null) =>
        SendAsync(ReleaseMessage(release, sequence, kind, signer));

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (_ownsKey)
        {
            Board.Dispose();
        }
    }

    private sealed class FeedEvents
    {
        public Channel<WatchReleasesResponse> Channel { get; } = System.Threading.Channels.Channel.CreateUnbounded<WatchReleasesResponse>();
    }

    /// <summary>Sends the snapshot marker, then whatever the test sends.</summary>
    private sealed class FeedService(FeedEvents events) : ReleaseFeedService.ReleaseFeedServiceBase
    {
        public override async Task WatchReleases(WatchReleasesRequest request, IServerStreamWriter<WatchReleasesResponse> responseStream, ServerCallContext context)
        {
            await responseStream.WriteAsync(WatchReleasesResponse.FromDomain(new SnapshotCompleted()));
            await foreach (var message in events.Channel.Reader.ReadAllAsync(context.CancellationToken))
            {
                await responseStream.WriteAsync(message);
            }
        }
    }
}
