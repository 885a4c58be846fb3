namespace AlkPlatform.Guidelines.Content;

public sealed record DoseRule
{
    public required double Dose { get; init; }
    /// <summary>The article's words for when this dose applies.</summary>
    public required string AppliesWhen { get; init; }
    /// <summary>Missing means "otherwise".</summary>
    public Condition? When { get; init; }
}
