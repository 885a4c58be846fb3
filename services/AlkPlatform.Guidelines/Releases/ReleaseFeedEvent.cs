namespace AlkPlatform.Guidelines.Releases;

/// <summary>A change a release-feed subscriber must apply: a release went live, a guideline was retired, or the snapshot ended.</summary>
public abstract record ReleaseFeedEvent;
