namespace AlkPlatform.Guidelines.Questions;

/// <summary>A statement that answers the question: its BM25 score and the question's concepts it covers (its explanation).</summary>
public sealed record AskHitResult(string StatementId, double Score, IReadOnlyList<string> MatchedConcepts);
