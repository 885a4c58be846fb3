using AlkPlatform.Guidelines.Questions;

namespace AlkPlatform.Guidelines.Diffs;

/// <summary>
/// The labelled questions (both revisions' sets) asked of the live release and of the candidate: each side's figures on its
/// own set, and every question whose outcome changes.
/// </summary>
public sealed record QuestionImpact(int QuestionsAsked, QuestionSetScore Live, QuestionSetScore Candidate, IReadOnlyList<QuestionChange> Changed);
