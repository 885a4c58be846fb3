namespace AlkPlatform.Guidelines.Storage;

/// <summary>A guideline taken offline: no release of it is served until a new one goes live.</summary>
public sealed record RetiredGuideline(string GuidelineId, string Reason, DateTimeOffset RetiredAt);
