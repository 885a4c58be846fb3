using AlkPlatform.Guidelines.Content;

namespace AlkPlatform.Guidelines.Rules;

public sealed record RenderedCard(
    string Id,
    CardKind Kind,
    CardSeverity Severity,
    string Summary,
    string DetailMarkdown,
    RenderedTherapy? Therapy,
    IReadOnlyList<Reference> Citations,
    IReadOnlyList<string> StatementIds,
    IReadOnlyList<string> RuleIds,
    string EvidencePopulation);
