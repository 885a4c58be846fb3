using AlkPlatform.Guidelines.Storage;

namespace AlkPlatform.Guidelines.Releases;

public sealed record GuidelineWasRetired(RetiredGuideline Guideline) : ReleaseFeedEvent;
