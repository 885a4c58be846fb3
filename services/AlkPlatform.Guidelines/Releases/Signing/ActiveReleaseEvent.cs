namespace AlkPlatform.Guidelines.Releases.Signing;

/// <summary>The last signed event a subscriber activated for a guideline: what a new event must be newer than.</summary>
public sealed record ActiveReleaseEvent(long Sequence, int RevisionNumber, string ReleaseId);
