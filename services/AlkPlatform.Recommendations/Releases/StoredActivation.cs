using AlkPlatform.Guidelines.Releases.Signing;

namespace AlkPlatform.Recommendations.Releases;

/// <summary>A signed feed event as this service activated it: the exact bytes it verified, and when.</summary>
public sealed record StoredActivation(
    long ActivationId, string GuidelineId, ReleaseEventKind Kind, string ReleaseId, int RevisionNumber, long Sequence,
    SignedReleaseEvent Event, DateTimeOffset ActivatedAt)
{
    /// <summary>What the guideline's next event must be newer than, while this one is active.</summary>
    public ActiveReleaseEvent Lineage => new(Sequence, RevisionNumber, ReleaseId);
}
