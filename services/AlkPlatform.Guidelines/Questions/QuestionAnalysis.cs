namespace AlkPlatform.Guidelines.Questions;

/// <summary>What a question asks about, and the words in it the approved content has never heard of (as typed).</summary>
public sealed record QuestionAnalysis(IReadOnlyList<QuestionConcept> Concepts, IReadOnlyList<string> UnknownTerms);
