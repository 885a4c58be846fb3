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
