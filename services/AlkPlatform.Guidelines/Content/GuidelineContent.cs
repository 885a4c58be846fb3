namespace AlkPlatform.Guidelines.Content;

/// <summary>The full content of one guideline revision: what the board reviews, approves and releases.</summary>
public sealed record GuidelineContent
{
    public required string GuidelineId { get; init; }
    public required string Title { get; init; }
    public required string Question { get; init; }
    public string VersionLabel { get; init; } = "";
    public string ChangeSummary { get; init; } = "";
    /// <summary>ISO date the article was last updated.</summary>
    public string LastUpdated { get; init; } = "";
    public string? LiteratureCurrentThrough { get; init; }
    public string? NextReviewDue { get; init; }
    public string Disclaimer { get; init; } = "";
    /// <summary>Gaps and open questions the board must resolve, kept visible in the content itself.</summary>
    public IReadOnlyList<string> BoardNotes { get; init; } = [];
    public IReadOnlyList<Section> Sections { get; init; } = [];
    public IReadOnlyList<Reference> References { get; init; } = [];
    public IReadOnlyList<FactDefinition> Facts { get; init; } = [];
    public IReadOnlyList<RuleDefinition> Rules { get; init; } = [];
    public IReadOnlyList<Scenario> Scenarios { get; init; } = [];
    /// <summary>How follow-up questions are matched to statements; without one every content word must be a statement's own.</summary>
    public Lexicon? Lexicon { get; init; }
    /// <summary>The labelled question set Ask must pass before publish (<see cref="Workflow.ContentGates.CheckQuestions"/>).</summary>
    public IReadOnlyList<LabelledQuestion>? Questions { get; init; }

    public IEnumerable<Statement> AllStatements() => Sections.SelectMany(s => s.Statements);
}
