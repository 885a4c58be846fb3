namespace AlkPlatform.Guidelines.Workflow;

public sealed record GuidelineSummary(
    string GuidelineId, string Title, int LatestRevision, int? LiveRevision, string? LiveReleaseId,
    DateTimeOffset? RetiredAt, string? RetiredReason);
