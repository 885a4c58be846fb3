using AlkPlatform.Guidelines.Releases;
using Google.Protobuf.WellKnownTypes;

namespace AlkPlatform.Contracts.Releases.V1;

/// <summary>One release feed event as it goes over the wire.</summary>
public partial class WatchReleasesResponse
{
    /// <summary>The event with its signed envelope, when it has one; the other fields are for display.</summary>
    public static WatchReleasesResponse FromDomain(ReleaseFeedEvent change) => change switch
    {
        ReleaseWentLive live => new WatchReleasesResponse
        {
            Release = Release.FromDomain(live.Release).WithSignedEvent(live.SignedEvent),
        },
        GuidelineWasRetired retired => new WatchReleasesResponse
        {
            Retired = new GuidelineRetired
            {
                GuidelineId = retired.Guideline.GuidelineId,
                Reason = retired.Guideline.Reason,
                RetiredAt = Timestamp.FromDateTimeOffset(retired.Guideline.RetiredAt),
                SignedEvent = retired.SignedEvent is { } signed ? SignedEvent.FromDomain(signed) : null,
            },
        },
        SnapshotCompleted => new WatchReleasesResponse { SnapshotComplete = new SnapshotComplete() },
        _ => throw new ArgumentOutOfRangeException(nameof(change), change, "unknown release feed event"),
    };
}
