namespace AlkPlatform.Guidelines.Content;

public sealed record Reference
{
    public required int Number { get; init; }
    public required string Text { get; init; }
    /// <summary>What the board must still complete (e.g. the bibliographic details the article omits).</summary>
    public string? BoardNote { get; init; }
}
