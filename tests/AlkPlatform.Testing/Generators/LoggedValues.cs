namespace AlkPlatform.Testing.Generators;

/// <summary>Values that occur in an evaluation log under test, so generated ops queries hit real records as often as garbage.</summary>
public sealed record LoggedValues
{
    public required IReadOnlyList<string> Callers { get; init; }
    public required IReadOnlyList<string> ReleaseIds { get; init; }
    public required IReadOnlyList<string> CardIds { get; init; }
    public required IReadOnlyList<string> EvaluationIds { get; init; }
    /// <summary>Page tokens the service issued for this log.</summary>
    public required IReadOnlyList<string> PageTokens { get; init; }
    public required DateTimeOffset First { get; init; }
    public required DateTimeOffset Last { get; init; }
}
