using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using DomainRelease = AlkPlatform.Guidelines.Releases.Release;

namespace AlkPlatform.Contracts.Releases.V1;

/// <summary>The feed's release, mapped to and from the domain's: the portal sends it, subscribers verify what they receive.</summary>
public partial class Release
{
    public static Release FromDomain(DomainRelease release)
    {
        ArgumentNullException.ThrowIfNull(release);
        var message = new Release
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
        message.Approvals.AddRange(release.Approvals.Select(Approval.FromDomain));
        return message;
    }

    /// <summary>This message carrying <paramref name="signedEvent"/> (nothing, when it is null).</summary>
    public Release WithSignedEvent(Guidelines.Releases.Signing.SignedReleaseEvent? signedEvent)
    {
        SignedEvent = signedEvent is null ? null : V1.SignedEvent.FromDomain(signedEvent);
        return this;
    }

    /// <summary>The domain release, unverified: the content is the message's own bytes, not a copy.</summary>
    public DomainRelease ToDomain() => new()
    {
        ReleaseId = ReleaseId,
        GuidelineId = GuidelineId,
        RevisionNumber = RevisionNumber,
        VersionLabel = VersionLabel,
        ContentHash = ContentHash,
        CanonicalContent = CanonicalContent.Memory,
        ApprovedAt = ApprovedAt.ToDateTimeOffset(),
        PublishedAt = PublishedAt.ToDateTimeOffset(),
        ApprovalBasis = ApprovalBasis,
        Approvals = [.. Approvals.Select(a => a.ToDomain())],
    };
}
