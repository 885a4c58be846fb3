using AlkPlatform.Guidelines.Content;

namespace AlkPlatform.Guidelines.Questions;

/// <summary>One labelled question asked of one revision: what Ask did and whether that is what the board expects.</summary>
public sealed record QuestionResult(LabelledQuestion Question, AskOutcome Outcome)
{
    public bool Answered => Outcome.Covered;

    /// <summary>In scope and answered with an acceptable statement among the first three hits.</summary>
    public bool AcceptableInTopThree =>
        Question.Kind == QuestionKind.InScope && Outcome.Hits.Take(3).Any(h => (Question.Acceptable ?? []).Contains(h.StatementId, StringComparer.Ordinal));

    /// <summary>Out of scope, refused, and the expected term is among the terms named.</summary>
    public bool TermNamed =>
        Question.Kind == QuestionKind.OutOfScope && !Answered && Question.UnknownTerm is { } term
        && Outcome.Analysis.UnknownTerms.Any(named => Names(named, term));

    /// <summary>An answer the board would call wrong: any answer to a question it should refuse, or one with no acceptable statement.</summary>
    public bool Wrong => Answered && (Question.Kind != QuestionKind.InScope || !AcceptableInTopThree);

    public bool Passed => Question.Kind switch
    {
        QuestionKind.InScope => AcceptableInTopThree,
        QuestionKind.OutOfScope => TermNamed,
        _ => !Answered,
    };

    /// <summary>The outcome in a few words, for the impact preview and the question-set page.</summary>
    public string Summary => Outcome.Abstention switch
    {
        AskAbstention.None => $"answered: {string.Join(", ", Outcome.Hits.Select(h => h.StatementId))}",
        AskAbstention.UnknownTerms => $"refused, not covered: {string.Join(", ", Outcome.Unanswered.Select(t => $"'{t}'"))}",
        AskAbstention.QualifierNotCovered => $"refused, no statement for {string.Join(", ", Outcome.Unanswered.Select(t => $"'{t}'"))}",
        AskAbstention.CombinationNotCovered => $"refused, no statement covers {string.Join(" + ", Outcome.Unanswered.Select(t => $"'{t}'"))}",
        _ => "refused, nothing to answer",
    };

    /// <summary>A named term names the expected one when they are equal or the expected one is a word of it ("breathing problems").</summary>
    private static bool Names(string named, string expected) =>
        string.Equals(named, expected, StringComparison.OrdinalIgnoreCase)
        || named.Split([' ', '-', '/'], StringSplitOptions.RemoveEmptyEntries).Contains(expected, StringComparer.OrdinalIgnoreCase);
}
