namespace AlkPlatform.Guidelines.Diffs;

/// <summary>The behavioural diff: every patient evaluated, and those whose cards or missing facts change.</summary>
public sealed record ImpactReport(string LiveHash, string CandidateHash, int PatientsEvaluated, IReadOnlyList<PatientImpact> Changed);
