namespace AlkPlatform.Guidelines.Content;

/// <summary>One dose a therapy may take and the article's condition for it (the contract's <c>DoseOption</c>).</summary>
public sealed record DoseOption
{
    public required double Dose { get; init; }
    /// <summary>The article's words for when this dose applies.</summary>
    public required string AppliesWhen { get; init; }
    /// <summary>Missing means "otherwise".</summary>
    public Condition? When { get; init; }
}
