using System.Text.Json.Serialization;

namespace AlkPlatform.Guidelines.Content;

/// <summary>A declarative decision rule: when the condition holds for a patient, the card is shown.</summary>
public sealed record RuleDefinition
{
    public required string Id { get; init; }
    public required string Description { get; init; }
    /// <summary>Missing means "always".</summary>
    public Condition? When { get; init; }
    public required CardTemplate Card { get; init; }
}

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

[JsonConverter(typeof(JsonStringEnumConverter<ComparisonOperator>))]
public enum ComparisonOperator
{
    Eq,
    Ne,
    Lt,
    Lte,
    Gt,
    Gte,
    In,
    Known,
}

[JsonConverter(typeof(JsonStringEnumConverter<UnknownOutcome>))]
public enum UnknownOutcome
{
    Unknown,
    True,
    False,
}

[JsonConverter(typeof(JsonStringEnumConverter<CardKind>))]
public enum CardKind
{
    Recommend,
    Consider,
    Avoid,
    Monitor,
    Assess,
}

[JsonConverter(typeof(JsonStringEnumConverter<CardSeverity>))]
public enum CardSeverity
{
    Info,
    Warning,
    Critical,
}

public sealed record CardTemplate
{
    public required string Id { get; init; }
    public required CardKind Kind { get; init; }
    public required CardSeverity Severity { get; init; }
    /// <summary>At most 140 characters.</summary>
    public required string Summary { get; init; }
    /// <summary>The statements the card rests on; their citations become the card's citations.</summary>
    public required IReadOnlyList<string> Statements { get; init; }
    /// <summary>The drug or intervention the card is about; a recommend/consider and an avoid on one subject conflict.</summary>
    public string? Subject { get; init; }
    public TherapyTemplate? Therapy { get; init; }
    public string? EvidencePopulation { get; init; }
    /// <summary>Lower sorts first among cards of equal severity.</summary>
    public int Order { get; init; }
}

public sealed record TherapyTemplate
{
    public required string Drug { get; init; }
    public string Unit { get; init; } = "";
    public string Frequency { get; init; } = "";
    public string Route { get; init; } = "";
    public string? WeightBasedAdjustment { get; init; }
    /// <summary>Candidate doses; the first whose condition holds is the patient's dose.</summary>
    public IReadOnlyList<DoseRule> Doses { get; init; } = [];
}

public sealed record DoseRule
{
    public required double Dose { get; init; }
    /// <summary>The article's words for when this dose applies.</summary>
    public required string AppliesWhen { get; init; }
    /// <summary>Missing means "otherwise".</summary>
    public Condition? When { get; init; }
}

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
