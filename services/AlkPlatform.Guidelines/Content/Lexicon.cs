namespace AlkPlatform.Guidelines.Content;

/// <summary>
/// The board's vocabulary for follow-up questions: concepts with their equivalent terms, the generic words that never count
/// as content, and which concept is the guideline's own population. Versioned, hashed, reviewed and approved with the statements.
/// </summary>
public sealed record Lexicon
{
    /// <summary>
    /// The qualifier concept naming the guideline's own population: a statement that names no other qualifier is taken to be
    /// about it, one that names another population or disease only is not.
    /// </summary>
    public string? Subject { get; init; }

    public IReadOnlyList<Concept> Concepts { get; init; } = [];

    /// <summary>Words and phrases that carry no content for matching ("what", "should", "patient"); they never make a question unknown.</summary>
    public IReadOnlyList<string> GenericWords { get; init; } = [];
}
