namespace AlkPlatform.Guidelines.Content;

/// <summary>
/// A condition tree over declared facts. Exactly one of <see cref="All"/>, <see cref="Any"/>, <see cref="Not"/>
/// or <see cref="Fact"/> is set. Unknown facts make a comparison unknown (three-valued logic) unless
/// <see cref="WhenUnknown"/> says otherwise.
/// </summary>
public sealed record Condition
{
    public IReadOnlyList<Condition>? All { get; init; }
    public IReadOnlyList<Condition>? Any { get; init; }
    public Condition? Not { get; init; }
    public string? Fact { get; init; }
    public ComparisonOperator? Op { get; init; }
    /// <summary>A string for enum facts, true/false for boolean facts, a number for number facts.</summary>
    public System.Text.Json.JsonElement? Value { get; init; }
    /// <summary>For <see cref="ComparisonOperator.In"/>: the enum values.</summary>
    public IReadOnlyList<string>? Values { get; init; }
    public UnknownOutcome? WhenUnknown { get; init; }
}
