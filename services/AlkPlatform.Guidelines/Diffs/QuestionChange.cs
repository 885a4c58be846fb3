using AlkPlatform.Guidelines.Content;

namespace AlkPlatform.Guidelines.Diffs;

/// <summary>A labelled question whose Ask outcome differs between the live release and the candidate, and whether each meets its label.</summary>
public sealed record QuestionChange(
    string QuestionId, string Text, QuestionKind Kind, bool Frozen, string Live, string Candidate, bool LivePassed, bool CandidatePassed);
