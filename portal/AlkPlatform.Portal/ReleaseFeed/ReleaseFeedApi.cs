using AlkPlatform.Contracts.Releases.V1;
using AlkPlatform.Guidelines.Workflow;
using Grpc.Core;

namespace AlkPlatform.Portal.ReleaseFeed;

/// <summary>Streams the live releases, then a snapshot marker, then every publish, rollback and retirement as it commits.</summary>
public sealed class ReleaseFeedApi(GuidelineWorkflow workflow, IHostApplicationLifetime lifetime, ILogger<ReleaseFeedApi> logger) : ReleaseFeedService.ReleaseFeedServiceBase
{
    public override async Task WatchReleases(WatchReleasesRequest request, IServerStreamWriter<WatchReleasesResponse> responseStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(responseStream);
        ArgumentNullException.ThrowIfNull(context);
        // The https endpoint faces browsers; the feed is for the internal h2c listener only.
        if (context.GetHttpContext().Request.IsHttps)
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, "The release feed is served only on the internal release-feed listener."));
        }
        logger.LogInformation("Release feed subscriber {Subscriber} (app {App}) connected from {Peer}", request.SubscriberId,
            context.GetHttpContext().User.FindFirst("azp")?.Value ?? "unknown", context.Peer);
        // A stopping portal ends its streams at once: graceful shutdown would otherwise wait its whole timeout for them.
        using var watching = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.ApplicationStopping);
        try
        {
            await foreach (var change in workflow.Feed.WatchAsync(watching.Token))
            {
                await responseStream.WriteAsync(WatchReleasesResponse.FromDomain(change), watching.Token);
            }
        }
        catch (OperationCanceledException) when (watching.IsCancellationRequested)
        {
            logger.LogInformation("Release feed subscriber {Subscriber} disconnected", request.SubscriberId);
        }
    }
}
