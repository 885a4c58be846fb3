namespace AlkPlatform.Guidelines.Content;

/// <summary>A fact the rules may read. Values of enum facts are declared; numbers may carry input bounds.</summary>
public sealed record FactDefinition
{
    public required string Id { get; init; }
    public required FactType Type { get; init; }
    /// <summary>The question to ask when the fact is missing.</summary>
    public required string Question { get; init; }
    public IReadOnlyList<string> Values { get; init; } = [];
    public string? Unit { get; init; }
    /// <summary>Inclusive lower bound for a plausible value (input validation, not clinical content).</summary>
    public double? MinInclusive { get; init; }
    /// <summary>Exclusive lower bound for a plausible value.</summary>
    public double? MinExclusive { get; init; }
    /// <summary>Inclusive upper bound for a plausible value.</summary>
    public double? MaxInclusive { get; init; }
}
