using System.Text.Json.Serialization;

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

    public IEnumerable<Statement> AllStatements() => Sections.SelectMany(s => s.Statements);
}

public sealed record Section
{
    public required string Id { get; init; }
    public required string Title { get; init; }
    /// <summary>2 for a main heading, 3 for a sub-heading.</summary>
    public int Level { get; init; } = 2;
    public IReadOnlyList<Statement> Statements { get; init; } = [];
}

public sealed record Statement
{
    public required string Id { get; init; }
    /// <summary>Clinician wording (Markdown), as the article gives it.</summary>
    public required string Text { get; init; }
    public IReadOnlyList<int> Citations { get; init; } = [];
    /// <summary>Optional wording per audience ("patient"); absent audiences read <see cref="Text"/>.</summary>
    public IReadOnlyDictionary<string, string> AudienceText { get; init; } = new Dictionary<string, string>();

    public string TextFor(string audience) =>
        AudienceText.TryGetValue(audience, out var text) && !string.IsNullOrWhiteSpace(text) ? text : Text;
}

public sealed record Reference
{
    public required int Number { get; init; }
    public required string Text { get; init; }
    /// <summary>What the board must still complete (e.g. the bibliographic details the article omits).</summary>
    public string? BoardNote { get; init; }
}

[JsonConverter(typeof(JsonStringEnumConverter<FactType>))]
public enum FactType
{
    Boolean,
    Number,
    Enum,
}

/// <summary>A fact the rules may read. Values of enum facts are declared; numbers may carry input bounds.</summary>
public sealed record FactDefinition
{
    public required string Id { get; init; }
    public required FactType Type { get; init; }
    /// <summary>The question to ask when the fact is missing.</summary>
    public required string Question { get; init; }
    public IReadOnlyList<string> Values { get; init; } = [];
    public string? Unit { get; init; }
    /// <summary>Inclusive lower bound for a plausible value (input validation, not clinical content).</summary>
    public double? MinInclusive { get; init; }
    /// <summary>Exclusive lower bound for a plausible value.</summary>
    public double? MinExclusive { get; init; }
    /// <summary>Inclusive upper bound for a plausible value.</summary>
    public double? MaxInclusive { get; init; }
}
