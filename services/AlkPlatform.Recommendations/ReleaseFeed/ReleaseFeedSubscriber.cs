using AlkPlatform.Contracts.Releases.V1;
using AlkPlatform.Guidelines.Content;
using AlkPlatform.Guidelines.Releases;
using AlkPlatform.Recommendations.Releases;
using Grpc.Core;
using Grpc.Net.Client;

namespace AlkPlatform.Recommendations.ReleaseFeed;

/// <summary>
/// Follows the portal's release feed: every release is verified, persisted and swapped in; on any failure the service
/// keeps serving its last good release and reconnects with capped exponential backoff.
/// </summary>
public sealed class ReleaseFeedSubscriber(
    IConfiguration configuration,
    ReleaseActivator activator,
    ReleaseFeedStatus status,
    TimeProvider clock,
    ILogger<ReleaseFeedSubscriber> logger) : BackgroundService
{
    private static readonly TimeSpan MinBackoff = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var address = configuration["ReleaseFeed:Address"];
        if (string.IsNullOrWhiteSpace(address))
        {
            return;
        }
        var subscriberId = configuration["ReleaseFeed:SubscriberId"] ?? Environment.MachineName;
        using var channel = GrpcChannel.ForAddress(address);
        var client = new ReleaseFeedService.ReleaseFeedServiceClient(channel);
        var backoff = MinBackoff;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                using var call = client.WatchReleases(new WatchReleasesRequest { SubscriberId = subscriberId }, cancellationToken: stoppingToken);
                await foreach (var message in call.ResponseStream.ReadAllAsync(stoppingToken))
                {
                    status.OnEvent(clock.GetUtcNow());
                    backoff = MinBackoff;
                    Apply(message);
                }
                status.OnDisconnected("The release feed closed the stream.");
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (RpcException ex) when (stoppingToken.IsCancellationRequested is false)
            {
                status.OnDisconnected($"Release feed unreachable: {ex.Status.StatusCode} {ex.Status.Detail}");
                logger.LogWarning("Release feed at {Address} unavailable ({Status}); serving the last good releases", address, ex.Status.StatusCode);
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

    private void Apply(WatchReleasesResponse message)
    {
        switch (message.EventCase)
        {
            case WatchReleasesResponse.EventOneofCase.Release:
                try
                {
                    activator.Activate(message.Release.ToDomain());
                }
                catch (Exception ex) when (ex is ReleaseVerificationException or GuidelineValidationException)
                {
                    status.OnRejected(ex.Message);
                    logger.LogError("Rejected release {ReleaseId}: {Reason}; still serving the last good release", message.Release.ReleaseId, ex.Message);
                }
                break;
            case WatchReleasesResponse.EventOneofCase.Retired:
                activator.Retire(message.Retired.GuidelineId, message.Retired.Reason);
                break;
            case WatchReleasesResponse.EventOneofCase.SnapshotComplete:
                status.OnConnected();
                break;
        }
    }
}
