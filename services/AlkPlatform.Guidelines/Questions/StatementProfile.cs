namespace AlkPlatform.Guidelines.Questions;

/// <summary>
/// What one statement can answer: the word keys and concepts of its own text, and those it gets from its section title and
/// the board's keywords; qualifiers count only from its own text.
/// </summary>
internal sealed record StatementProfile(
    string StatementId,
    IReadOnlySet<string> TextKeys,
    IReadOnlySet<string> ContextKeys,
    IReadOnlySet<string> TextConcepts,
    IReadOnlySet<string> ContextConcepts,
    IReadOnlySet<string> TextQualifiers);
