namespace AlkPlatform.Guidelines.Questions;

/// <summary>
/// One thing a question asks about: a lexicon concept (<see cref="ConceptId"/> set) or a plain word the content knows.
/// <see cref="Label"/> is how the question put it.
/// </summary>
public sealed record QuestionConcept(string Key, string Label, string? ConceptId, bool IsQualifier)
{
    /// <summary>How a hit's explanation names it: the concept id, or the word as asked.</summary>
    public string Name => ConceptId ?? Label;
}
