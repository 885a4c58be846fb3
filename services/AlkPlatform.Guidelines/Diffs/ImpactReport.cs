namespace AlkPlatform.Guidelines.Diffs;

/// <summary>
/// The behavioural diff: every patient evaluated, and those whose cards or missing facts change; every labelled question
/// asked, and those whose Ask outcome changes.
/// </summary>
public sealed record ImpactReport(string LiveHash, string CandidateHash, int PatientsEvaluated, IReadOnlyList<PatientImpact> Changed, QuestionImpact Questions);
