using AlkPlatform.Guidelines.Releases;
using Google.Protobuf.WellKnownTypes;

namespace AlkPlatform.Contracts.Releases.V1;

/// <summary>One board member's signature on a release, mapped to and from the domain's.</summary>
public partial class Approval
{
    public static Approval FromDomain(RevisionApproval approval)
    {
        ArgumentNullException.ThrowIfNull(approval);
        return new Approval
        {
            ApproverId = approval.ApproverId,
            ApproverName = approval.ApproverName,
            ApprovedAt = Timestamp.FromDateTimeOffset(approval.ApprovedAt),
            SignatureMeaning = approval.SignatureMeaning,
            ContentHash = approval.ContentHash,
        };
    }

    public RevisionApproval ToDomain() =>
        new(ApproverId, ApproverName, ApprovedAt.ToDateTimeOffset(), SignatureMeaning, ContentHash);
}
