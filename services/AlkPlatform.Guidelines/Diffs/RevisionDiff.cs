namespace AlkPlatform.Guidelines.Diffs;

/// <summary>Everything that differs between two revisions' content, grouped the way a reviewer reads it.</summary>
public sealed record RevisionDiff(
    string BeforeHash,
    string AfterHash,
    IReadOnlyList<FieldChange> Metadata,
    IReadOnlyList<ItemChange> Sections,
    IReadOnlyList<StatementChange> Statements,
    IReadOnlyList<ItemChange> References,
    IReadOnlyList<ItemChange> Facts,
    IReadOnlyList<ItemChange> Rules,
    IReadOnlyList<ItemChange> Scenarios,
    IReadOnlyList<ItemChange> Lexicon,
    IReadOnlyList<ItemChange> Questions)
{
    public bool IsEmpty => BeforeHash == AfterHash;

    /// <summary>One line per change, e.g. "statement 'rr-alectinib-dose' modified"; used in conflict messages and the audit.</summary>
    public IReadOnlyList<string> Describe() =>
    [
        .. Metadata.Select(f => $"{f.Field} changed"),
        .. Sections.Select(c => $"section '{c.Id}' {Verb(c.Kind)}"),
        .. Statements.Select(c => $"statement '{c.StatementId}' {Verb(c.Kind)}"),
        .. References.Select(c => $"reference {c.Id} {Verb(c.Kind)}"),
        .. Facts.Select(c => $"fact '{c.Id}' {Verb(c.Kind)}"),
        .. Rules.Select(c => $"rule '{c.Id}' {Verb(c.Kind)}"),
        .. Scenarios.Select(c => $"scenario '{c.Id}' {Verb(c.Kind)}"),
        .. Lexicon.Select(c => $"lexicon {c.Id} {Verb(c.Kind)}"),
        .. Questions.Select(c => $"question '{c.Id}' {Verb(c.Kind)}"),
    ];

    private static string Verb(ChangeKind kind) => kind switch
    {
        ChangeKind.Added => "added",
        ChangeKind.Removed => "removed",
        _ => "modified",
    };
}
