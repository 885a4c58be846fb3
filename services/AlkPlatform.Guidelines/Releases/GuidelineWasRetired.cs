using AlkPlatform.Guidelines.Releases.Signing;
using AlkPlatform.Guidelines.Storage;

namespace AlkPlatform.Guidelines.Releases;

/// <summary>A guideline went offline; <see cref="SignedEvent"/> as on <see cref="ReleaseWentLive"/>.</summary>
public sealed record GuidelineWasRetired(RetiredGuideline Guideline, SignedReleaseEvent? SignedEvent = null) : ReleaseFeedEvent;
