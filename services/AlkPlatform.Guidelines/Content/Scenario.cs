namespace AlkPlatform.Guidelines.Content;

/// <summary>A canonical patient and the cards the board expects for them; every scenario must pass before publish.</summary>
public sealed record Scenario
{
    public required string Id { get; init; }
    public required string Description { get; init; }
    public required IReadOnlyDictionary<string, System.Text.Json.JsonElement> Facts { get; init; }
    /// <summary>Card ids expected, in order.</summary>
    public required IReadOnlyList<string> ExpectedCards { get; init; }
    public IReadOnlyList<string> ExpectedMissingFacts { get; init; } = [];
}
