using AlkPlatform.Guidelines.Content;

namespace AlkPlatform.Guidelines.Storage;

/// <summary>A recorded save of a draft: who, when, and the content they saved.</summary>
public sealed record RevisionSave(long SaveNumber, string SavedById, string SavedByName, DateTimeOffset SavedAt, GuidelineContent Content);
