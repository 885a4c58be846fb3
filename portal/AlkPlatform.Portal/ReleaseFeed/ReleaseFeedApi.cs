using AlkPlatform.Contracts.Releases.V1;
using AlkPlatform.Guidelines.Releases;
using AlkPlatform.Guidelines.Workflow;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Contract = AlkPlatform.Contracts.Releases.V1;

namespace AlkPlatform.Portal.ReleaseFeed;

/// <summary>Streams the live releases, then a snapshot marker, then every publish, rollback and retirement as it commits.</summary>
public sealed class ReleaseFeedApi(GuidelineWorkflow workflow, ILogger<ReleaseFeedApi> logger) : ReleaseFeedService.ReleaseFeedServiceBase
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
        logger.LogInformation("Release feed subscriber {Subscriber} connected from {Peer}", request.SubscriberId, context.Peer);
        try
        {
            await foreach (var change in workflow.Feed.WatchAsync(context.CancellationToken))
            {
                await responseStream.WriteAsync(ToMessage(change), context.CancellationToken);
            }
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            logger.LogInformation("Release feed subscriber {Subscriber} disconnected", request.SubscriberId);
        }
    }

    public static WatchReleasesResponse ToMessage(ReleaseFeedEvent change) => change switch
    {
        ReleaseWentLive live => new WatchReleasesResponse { Release = ToMessage(live.Release) },
        GuidelineWasRetired retired => new WatchReleasesResponse
        {
            Retired = new GuidelineRetired
            {
                GuidelineId = retired.Guideline.GuidelineId,
                Reason = retired.Guideline.Reason,
                RetiredAt = Timestamp.FromDateTimeOffset(retired.Guideline.RetiredAt),
            },
        },
        SnapshotCompleted => new WatchReleasesResponse { SnapshotComplete = new SnapshotComplete() },
        _ => throw new ArgumentOutOfRangeException(nameof(change), change, "unknown release feed event"),
    };

    private static Contract.Release ToMessage(Guidelines.Releases.Release release)
    {
        var message = new Contract.Release
        {
            ReleaseId = release.ReleaseId,
            GuidelineId = release.GuidelineId,
            RevisionNumber = release.RevisionNumber,
            VersionLabel = release.VersionLabel,
            ContentHash = release.ContentHash,
            CanonicalContent = ByteString.CopyFrom(release.CanonicalContent.Span),
            ApprovedAt = Timestamp.FromDateTimeOffset(release.ApprovedAt),
            PublishedAt = Timestamp.FromDateTimeOffset(release.PublishedAt),
            ApprovalBasis = release.ApprovalBasis,
        };
        message.Approvals.AddRange(release.Approvals.Select(a => new Approval
        {
            ApproverId = a.ApproverId,
            ApproverName = a.ApproverName,
            ApprovedAt = Timestamp.FromDateTimeOffset(a.ApprovedAt),
            SignatureMeaning = a.SignatureMeaning,
            ContentHash = a.ContentHash,
        }));
        return message;
    }
}
