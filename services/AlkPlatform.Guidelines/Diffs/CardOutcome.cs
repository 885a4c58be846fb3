using AlkPlatform.Guidelines.Content;

namespace AlkPlatform.Guidelines.Diffs;

/// <summary>One card a patient sees, reduced to what a clinician would notice changing.</summary>
public sealed record CardOutcome(string CardId, CardKind Kind, CardSeverity Severity, string Summary, string? Dose)
{
    public override string ToString() => Dose is null ? $"{CardId} [{Kind}/{Severity}]" : $"{CardId} [{Kind}/{Severity}] {Dose}";
}
