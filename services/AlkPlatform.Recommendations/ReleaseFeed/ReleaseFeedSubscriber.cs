using AlkPlatform.Contracts.Releases.V1;
using ReleaseVerificationException = AlkPlatform.Guidelines.Releases.ReleaseVerificationException;
using AlkPlatform.Recommendations.Releases;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Identity.Abstractions;
using Microsoft.Extensions.Options;

namespace AlkPlatform.Recommendations.ReleaseFeed;

/// <summary>
/// Follows the portal's release feed: every event is checked, verified, persisted and swapped in by the activator. Nothing
/// a message contains can stop the service: any failure while converting or activating it is a refusal (the last good
/// release keeps serving, ops are told), and any failure of the stream is a disconnect followed by a reconnect with
/// capped exponential backoff. HTTP/2 pings notice a connection that died silently.
/// </summary>
public sealed class ReleaseFeedSubscriber(
    IOptions<ReleaseFeedOptions> options,
    ReleaseActivator activator,
    ReleaseCatalog catalog,
    ReleaseFeedStatus status,
    TimeProvider clock,
    IServiceProvider services,
    ILogger<ReleaseFeedSubscriber> logger) : BackgroundService
{
    private static readonly TimeSpan MinBackoff = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var feed = options.Value;
        if (!feed.Configured)
        {
            return;
        }
        using var channel = CreateChannel(feed);
        var client = new ReleaseFeedService.ReleaseFeedServiceClient(channel);
        var backoff = MinBackoff;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                using var call = client.WatchReleases(new WatchReleasesRequest { SubscriberId = feed.ServiceId },
                    headers: await AuthorizationAsync(feed, stoppingToken), cancellationToken: stoppingToken);
                await foreach (var message in call.ResponseStream.ReadAllAsync(stoppingToken))
                {
                    status.OnEvent(clock.GetUtcNow());
                    backoff = MinBackoff;
                    Apply(message);
                }
                status.OnDisconnected("The release feed closed the stream; reconnecting.");
            }
            catch (Exception) when (stoppingToken.IsCancellationRequested)
            {
                // Shutting down: the call ends as cancelled (an RpcException or an OperationCanceledException); nothing to report.
                return;
            }
            catch (Exception ex)
            {
                // The network, the feed or a bug here: whichever broke the stream, the service keeps serving and reconnects.
                var problem = DescribeDisconnect(ex, feed);
                status.OnDisconnected(problem);
                logger.LogWarning("{Problem} (feed {Address}); serving the last good releases", problem, feed.Address);
            }

            try
            {
                await Task.Delay(backoff + TimeSpan.FromMilliseconds(Random.Shared.Next(0, 100)), clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
        }
    }

    /// <summary>An app token for the portal, from Microsoft.Identity.Web (cached by MSAL until shortly before it expires).</summary>
    private async Task<Metadata?> AuthorizationAsync(ReleaseFeedOptions feed, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(feed.Scope))
        {
            return null;
        }
        // Token acquisition is a scoped service; this subscriber lives as long as the service.
        using var scope = services.CreateScope();
        var tokens = scope.ServiceProvider.GetRequiredService<IAuthorizationHeaderProvider>();
        var header = await tokens.CreateAuthorizationHeaderForAppAsync(feed.Scope, cancellationToken: cancellationToken).ConfigureAwait(false);
        return new Metadata { { "authorization", header } };
    }

    private static GrpcChannel CreateChannel(ReleaseFeedOptions feed) => GrpcChannel.ForAddress(feed.Address, new GrpcChannelOptions
    {
        HttpHandler = new SocketsHttpHandler
        {
            // A connection that dies without a FIN or RST (a dropped NAT entry, a frozen peer) is noticed only by an unanswered ping.
            KeepAlivePingDelay = feed.KeepAlivePingDelay,
            KeepAlivePingTimeout = feed.KeepAlivePingTimeout,
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.Always,
            ConnectTimeout = feed.KeepAlivePingDelay + feed.KeepAlivePingTimeout,
            EnableMultipleHttp2Connections = true,
        },
    });

    private void Apply(WatchReleasesResponse message)
    {
        if (message.EventCase == WatchReleasesResponse.EventOneofCase.SnapshotComplete)
        {
            status.OnConnected();
            return;
        }
        var (guidelineId, name) = message.EventCase switch
        {
            WatchReleasesResponse.EventOneofCase.Release => (message.Release.GuidelineId, $"release {RequiredFeedFields.Name(message.Release)}"),
            WatchReleasesResponse.EventOneofCase.Retired => (message.Retired.GuidelineId, RequiredFeedFields.Name(message.Retired)),
            _ => ("", "a feed message"),
        };
        try
        {
            switch (message.EventCase)
            {
                case WatchReleasesResponse.EventOneofCase.Release:
                    RequiredFeedFields.Check(message.Release);
                    activator.ActivateSigned(message.Release.GuidelineId, message.Release.ReleaseId, message.Release.SignedEvent?.ToDomain(),
                        message.Release.CanonicalContent.Memory);
                    break;
                case WatchReleasesResponse.EventOneofCase.Retired:
                    RequiredFeedFields.Check(message.Retired);
                    activator.RetireSigned(message.Retired.GuidelineId, message.Retired.SignedEvent?.ToDomain());
                    break;
                default:
                    throw new ReleaseVerificationException(name,
                        "it holds no release, retirement or snapshot marker (an empty message, or an event this version does not know)");
            }
        }
        catch (Exception ex)
        {
            // Anything at all: a message must never stop the service, and a refused one changes nothing it serves.
            var reason = ex is ReleaseVerificationException refused ? refused.Reason : $"{ex.GetType().Name}: {ex.Message}";
            var serving = string.Join(", ", catalog.Current.Live.Values.Select(r => r.Release.ReleaseId));
            status.OnRefused(guidelineId, $"Refused {name}: {reason}");
            logger.LogError("Refused {Event} from the release feed: {Reason}; still serving {Serving}", name, reason, serving.Length > 0 ? serving : "nothing");
        }
    }

    /// <summary>Why the stream ended, in words ops can act on; a ping that went unanswered is named as such.</summary>
    private static string DescribeDisconnect(Exception ex, ReleaseFeedOptions feed)
    {
        // The runtime tells an unanswered ping from other HTTP/2 failures only in its message (an HttpProtocolException the
        // gRPC client puts in the status detail), so the message is what is read.
        for (var inner = (Exception?)ex; inner is not null; inner = inner.InnerException)
        {
            if (inner.Message.Contains("ping", StringComparison.OrdinalIgnoreCase))
            {
                return $"Release feed stopped answering pings: no reply within {feed.KeepAlivePingTimeout} (ReleaseFeed:KeepAlivePingTimeout) to a ping " +
                    $"sent after {feed.KeepAlivePingDelay} of silence (ReleaseFeed:KeepAlivePingDelay); disconnected, reconnecting";
            }
        }
        return ex is RpcException rpc
            ? $"Release feed unreachable: {rpc.Status.StatusCode} {rpc.Status.Detail}"
            : $"Release feed stream failed: {ex.GetType().Name}: {ex.Message}";
    }
}
