using AlkPlatform.Guidelines.Workflow;

namespace AlkPlatform.Guidelines.Diffs;

/// <summary>A patient whose answer differs between live and candidate, and how.</summary>
public sealed record PatientImpact(
    ImpactPatient Patient,
    PatientOutcome Live,
    PatientOutcome Candidate,
    IReadOnlyList<string> CardsAdded,
    IReadOnlyList<string> CardsRemoved,
    IReadOnlyList<string> CardsChanged,
    IReadOnlyList<string> MissingFactsAdded,
    IReadOnlyList<string> MissingFactsRemoved,
    bool OrderChanged);
