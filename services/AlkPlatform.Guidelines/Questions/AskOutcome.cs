namespace AlkPlatform.Guidelines.Questions;

/// <summary>
/// Ask's decision: the hits when some approved statement covers every concept of the question, otherwise the abstention
/// and what it names — the unknown terms, or the concepts no statement covers together.
/// </summary>
public sealed record AskOutcome(
    QuestionAnalysis Analysis,
    AskAbstention Abstention,
    IReadOnlyList<AskHitResult> Hits,
    IReadOnlyList<string> Unanswered)
{
    public bool Covered => Abstention == AskAbstention.None;
}
