using System.Net;
using System.Threading.Channels;
using AlkPlatform.Contracts.Releases.V1;
using AlkPlatform.Guidelines.Releases;
using AlkPlatform.Guidelines.Storage;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Release = AlkPlatform.Guidelines.Releases.Release;

namespace AlkPlatform.Recommendations.Tests;

/// <summary>A real gRPC release feed on a loopback port that a test drives event by event.</summary>
public sealed class TestReleaseFeed : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly FeedEvents _events;

    private TestReleaseFeed(WebApplication app, FeedEvents events)
    {
        _app = app;
        _events = events;
    }

    public string Address { get; private set; } = "";

    public static async Task<TestReleaseFeed> StartAsync(int port = 0)
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
        return new TestReleaseFeed(app, events)
        {
            Address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single(),
        };
    }

    public int Port => new Uri(Address).Port;

    /// <summary>Sends the release as the portal's feed does, approvals included.</summary>
    public ValueTask PublishAsync(Release release) =>
        _events.Channel.Writer.WriteAsync(WatchReleasesResponse.FromDomain(new ReleaseWentLive(release)));

    public ValueTask RetireAsync(string guidelineId, string reason) =>
        _events.Channel.Writer.WriteAsync(WatchReleasesResponse.FromDomain(
            new GuidelineWasRetired(new RetiredGuideline(guidelineId, reason, DateTimeOffset.UtcNow))));

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private sealed class FeedEvents
    {
        public Channel<WatchReleasesResponse> Channel { get; } = System.Threading.Channels.Channel.CreateUnbounded<WatchReleasesResponse>();
    }

    /// <summary>Sends the snapshot marker, then whatever the test publishes.</summary>
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
