namespace AlkPlatform.Guidelines.Content;

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
