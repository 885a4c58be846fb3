namespace AlkPlatform.Guidelines.Releases;

public sealed record ReleaseWentLive(Release Release) : ReleaseFeedEvent;
