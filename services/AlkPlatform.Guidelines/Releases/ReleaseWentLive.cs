using AlkPlatform.Guidelines.Releases.Signing;

namespace AlkPlatform.Guidelines.Releases;

/// <summary>
/// A release went live (publish or rollback). The portal's feed always carries the <see cref="SignedEvent"/> it stored with
/// the change; it is null only from a source that does not sign, which every verifying subscriber refuses.
/// </summary>
public sealed record ReleaseWentLive(Release Release, SignedReleaseEvent? SignedEvent = null) : ReleaseFeedEvent;
