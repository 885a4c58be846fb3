namespace AlkPlatform.Guidelines.Diffs;

/// <summary>What a patient gets under one release: cards in display order and the facts they are asked for.</summary>
public sealed record PatientOutcome(IReadOnlyList<CardOutcome> Cards, IReadOnlyList<string> MissingFacts);
