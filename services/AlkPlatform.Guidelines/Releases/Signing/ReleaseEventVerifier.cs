using System.Security.Cryptography;
using AlkPlatform.Guidelines.Content;

namespace AlkPlatform.Guidelines.Releases.Signing;

/// <summary>
/// Decides whether a feed event may change what a service serves: signed by a trusted key, release id derived from
/// guideline, revision and hash, a quorum of distinct approvers who each approved this hash, and newer than what is active.
/// Every refusal is a <see cref="ReleaseVerificationException"/> naming the release and the reason.
/// </summary>
public sealed class ReleaseEventVerifier
{
    private readonly TrustedReleaseKeys _keys;

    public int ApprovalQuorum { get; }

    public ReleaseEventVerifier(TrustedReleaseKeys keys, int approvalQuorum)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentOutOfRangeException.ThrowIfLessThan(approvalQuorum, 1);
        _keys = keys;
        ApprovalQuorum = approvalQuorum;
    }

    /// <summary>
    /// Checks a release or rollback event carrying <paramref name="content"/> (the canonical guideline bytes).
    /// <paramref name="active"/> must be the active event of the guideline the signed envelope names; when the guideline
    /// comes from an unsigned message, use the overload that also checks it.
    /// </summary>
    public VerifiedReleaseEvent VerifyRelease(string claimedReleaseId, SignedReleaseEvent? signedEvent, ReadOnlyMemory<byte> content, ActiveReleaseEvent? active) =>
        VerifyRelease(null, claimedReleaseId, signedEvent, content, active);

    /// <summary>
    /// Checks a release or rollback event whose message names <paramref name="claimedGuidelineId"/>, the guideline whose
    /// <paramref name="active"/> event the caller looked up: an event signed for another guideline is refused, so a replayed
    /// event cannot dodge the lineage check by naming a guideline with no active event.
    /// </summary>
    public VerifiedReleaseEvent VerifyRelease(
        string? claimedGuidelineId, string claimedReleaseId, SignedReleaseEvent? signedEvent, ReadOnlyMemory<byte> content, ActiveReleaseEvent? active)
    {
        var envelope = Open(claimedReleaseId, signedEvent);
        var name = envelope.ReleaseId;
        if (envelope.Kind is not (ReleaseEventKind.Release or ReleaseEventKind.Rollback))
        {
            throw Refused(name, $"the signed event is a {envelope.Kind.ToString().ToLowerInvariant()}, not a release");
        }
        if (claimedGuidelineId is not null && claimedGuidelineId != envelope.GuidelineId)
        {
            throw Refused(name, $"the message names guideline '{Clip(claimedGuidelineId)}' but the signed envelope says '{envelope.GuidelineId}'");
        }
        if (claimedReleaseId != envelope.ReleaseId)
        {
            throw Refused(name, $"the message says release {Clip(claimedReleaseId)} but the signed envelope says {envelope.ReleaseId}");
        }
        var hash = GuidelineJson.ComputeHash(content.Span);
        if (!FixedTimeEquals(hash, envelope.ContentHash))
        {
            throw Refused(name, $"the content hashes to {hash}, not the signed {envelope.ContentHash}");
        }
        var derived = Release.MakeId(envelope.GuidelineId, envelope.RevisionNumber, envelope.ContentHash);
        if (envelope.ReleaseId != derived)
        {
            throw Refused(name, $"its release id is not the one derived from guideline, revision and hash ({derived})");
        }
        CheckApprovals(envelope);
        var release = new Release
        {
            ReleaseId = envelope.ReleaseId,
            GuidelineId = envelope.GuidelineId,
            RevisionNumber = envelope.RevisionNumber,
            VersionLabel = "",
            ContentHash = envelope.ContentHash,
            CanonicalContent = content,
            ApprovedAt = envelope.Approvals.Max(a => a.ApprovedAt),
            PublishedAt = envelope.EventAt,
            ApprovalBasis = envelope.ApprovalBasis,
            Approvals = envelope.Approvals,
        };
        release = release with { VersionLabel = release.Verify().VersionLabel };
        var alreadyActive = CheckLineage(envelope, active);
        return new VerifiedReleaseEvent(signedEvent!, envelope, release, alreadyActive);
    }

    /// <summary>Checks a retirement of <paramref name="claimedGuidelineId"/>.</summary>
    public VerifiedReleaseEvent VerifyRetirement(string claimedGuidelineId, SignedReleaseEvent? signedEvent, ActiveReleaseEvent? active)
    {
        var envelope = Open($"retirement of {Clip(claimedGuidelineId)}", signedEvent);
        var name = $"retirement of {envelope.GuidelineId}";
        if (envelope.Kind != ReleaseEventKind.Retirement)
        {
            throw Refused(name, $"the signed event is a {envelope.Kind.ToString().ToLowerInvariant()}, not a retirement");
        }
        if (claimedGuidelineId != envelope.GuidelineId)
        {
            throw Refused(name, $"the message retires '{Clip(claimedGuidelineId)}' but the signed envelope retires '{envelope.GuidelineId}'");
        }
        var alreadyActive = CheckLineage(envelope, active);
        return new VerifiedReleaseEvent(signedEvent!, envelope, null, alreadyActive);
    }

    private ReleaseEventEnvelope Open(string name, SignedReleaseEvent? signedEvent)
    {
        if (signedEvent is null || signedEvent.Envelope.IsEmpty || signedEvent.Signature.IsEmpty)
        {
            throw Refused(name, "it is not signed");
        }
        if (_keys.Check(signedEvent) is { } problem)
        {
            throw Refused(name, problem);
        }
        var envelope = ReleaseEventEnvelope.Parse(signedEvent.Envelope.Span);
        if (envelope.KeyId != signedEvent.KeyId)
        {
            throw Refused(name, $"the envelope names key {envelope.KeyId} but was signed by {signedEvent.KeyId}");
        }
        return envelope;
    }

    private void CheckApprovals(ReleaseEventEnvelope envelope)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var approval in envelope.Approvals)
        {
            if (!FixedTimeEquals(approval.ContentHash, envelope.ContentHash))
            {
                throw Refused(envelope.ReleaseId, $"the approval by {approval.ApproverId} names content {Clip(approval.ContentHash)}, not {envelope.ContentHash}");
            }
            if (!seen.Add(approval.ApproverId))
            {
                throw Refused(envelope.ReleaseId, $"{approval.ApproverId} is listed as an approver more than once; approvals must come from distinct approvers");
            }
        }
        if (seen.Count < ApprovalQuorum)
        {
            throw Refused(envelope.ReleaseId, $"it carries {seen.Count} distinct approval(s); the quorum is {ApprovalQuorum}");
        }
    }

    /// <summary>True when the event is the one already active (a snapshot after reconnecting).</summary>
    private static bool CheckLineage(ReleaseEventEnvelope envelope, ActiveReleaseEvent? active)
    {
        var name = envelope.Kind == ReleaseEventKind.Retirement ? $"retirement of {envelope.GuidelineId}" : envelope.ReleaseId;
        if (active is null)
        {
            return false;
        }
        if (envelope.Sequence == active.Sequence && envelope.ReleaseId == active.ReleaseId)
        {
            return true;
        }
        if (envelope.Sequence <= active.Sequence)
        {
            throw Refused(name, $"its sequence number {envelope.Sequence} is not newer than the active {active.Sequence} (a replayed or out-of-order event)");
        }
        if (envelope.Kind == ReleaseEventKind.Release && envelope.RevisionNumber < active.RevisionNumber)
        {
            throw Refused(name, $"revision {envelope.RevisionNumber} is older than the active revision {active.RevisionNumber}; an earlier revision goes live again only through a signed rollback");
        }
        return false;
    }

    private static bool FixedTimeEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(System.Text.Encoding.UTF8.GetBytes(a), System.Text.Encoding.UTF8.GetBytes(b));

    private static string Clip(string text) => text.Length <= 80 ? text : text[..80] + "…";

    private static ReleaseVerificationException Refused(string name, string reason) => new(Clip(name), reason);
}
