using System.Globalization;
using System.Text.Json;
using AlkPlatform.Guidelines.Content;

namespace AlkPlatform.Portal.Pages.Revisions;

/// <summary>
/// The editor's form: every editable part of a revision as plain fields. Rules are edited through a condition builder
/// (fact · operator · value rows, all of which must hold); a rule whose condition has another shape keeps it unchanged.
/// </summary>
public sealed class RevisionForm
{
    public string Title { get; set; } = "";
    public string Question { get; set; } = "";
    public string? VersionLabel { get; set; }
    public string? ChangeSummary { get; set; }
    public string? LastUpdated { get; set; }
    public string? LiteratureCurrentThrough { get; set; }
    public string? NextReviewDue { get; set; }
    public string? Disclaimer { get; set; }
    public List<SectionFields> Sections { get; set; } = [];
    public List<StatementFields> Statements { get; set; } = [];
    public List<ReferenceFields> References { get; set; } = [];
    public List<RuleFields> Rules { get; set; } = [];
    public List<ScenarioFields> Scenarios { get; set; } = [];

    public sealed class SectionFields
    {
        public string Id { get; set; } = "";
        public string Title { get; set; } = "";
    }

    public sealed class StatementFields
    {
        public string Id { get; set; } = "";
        public string Text { get; set; } = "";
        public string? PatientText { get; set; }
        public List<int> Citations { get; set; } = [];
    }

    public sealed class ReferenceFields
    {
        public int Number { get; set; }
        public string Text { get; set; } = "";
        public string? BoardNote { get; set; }
    }

    public sealed class RuleFields
    {
        public string Id { get; set; } = "";
        public string Description { get; set; } = "";
        public string Summary { get; set; } = "";
        /// <summary>False when the rule's condition is nested beyond what the builder shows; it is kept as it was.</summary>
        public bool Editable { get; set; }
        public List<ConditionFields> Conditions { get; set; } = [];
    }

    public sealed class ConditionFields
    {
        public string? Fact { get; set; }
        public ComparisonOperator Op { get; set; } = ComparisonOperator.Eq;
        public string? Value { get; set; }
    }

    public sealed class ScenarioFields
    {
        public string Id { get; set; } = "";
        public string Description { get; set; } = "";
        public string ExpectedCards { get; set; } = "";
    }

    public static RevisionForm From(GuidelineContent content) => new()
    {
        Title = content.Title,
        Question = content.Question,
        VersionLabel = content.VersionLabel,
        ChangeSummary = content.ChangeSummary,
        LastUpdated = content.LastUpdated,
        LiteratureCurrentThrough = content.LiteratureCurrentThrough,
        NextReviewDue = content.NextReviewDue,
        Disclaimer = content.Disclaimer,
        Sections = [.. content.Sections.Select(s => new SectionFields { Id = s.Id, Title = s.Title })],
        Statements = [.. content.AllStatements().Select(s => new StatementFields
        {
            Id = s.Id,
            Text = s.Text,
            PatientText = s.AudienceText.TryGetValue(Audiences.Patient, out var p) ? p : null,
            Citations = [.. s.Citations],
        })],
        References = [.. content.References.Select(r => new ReferenceFields { Number = r.Number, Text = r.Text, BoardNote = r.BoardNote })],
        Rules = [.. content.Rules.Select(ToFields)],
        Scenarios = [.. content.Scenarios.Select(s => new ScenarioFields
        {
            Id = s.Id,
            Description = s.Description,
            ExpectedCards = string.Join(", ", s.ExpectedCards),
        })],
    };

    /// <summary>Applies the form onto the revision's content; structure the form doesn't show (section order, facts, cards) is kept.</summary>
    public GuidelineContent ApplyTo(GuidelineContent content)
    {
        var sections = Sections.Where(s => !string.IsNullOrEmpty(s.Id)).ToDictionary(s => s.Id, StringComparer.Ordinal);
        var statements = Statements.ToDictionary(s => s.Id, StringComparer.Ordinal);
        var facts = content.Facts.ToDictionary(f => f.Id, StringComparer.Ordinal);
        var rules = Rules.ToDictionary(r => r.Id, StringComparer.Ordinal);
        var scenarios = Scenarios.ToDictionary(s => s.Id, StringComparer.Ordinal);
        return content with
        {
            Title = Title.Trim(),
            Question = Question.Trim(),
            VersionLabel = VersionLabel?.Trim() ?? "",
            ChangeSummary = ChangeSummary?.Trim() ?? "",
            LastUpdated = LastUpdated?.Trim() ?? "",
            LiteratureCurrentThrough = Blank(LiteratureCurrentThrough),
            NextReviewDue = Blank(NextReviewDue),
            Disclaimer = Disclaimer?.Trim() ?? "",
            Sections = [.. content.Sections.Select(section => section with
            {
                Title = sections.TryGetValue(section.Id, out var titled) ? titled.Title?.Trim() ?? "" : section.Title,
                Statements = [.. section.Statements.Select(s => statements.TryGetValue(s.Id, out var edited) ? ApplyStatement(s, edited) : s)],
            })],
            References = [.. References.Where(r => r.Number > 0 || !string.IsNullOrWhiteSpace(r.Text))
                .Select(r => new Reference { Number = r.Number, Text = r.Text?.Trim() ?? "", BoardNote = Blank(r.BoardNote) })],
            Rules = [.. content.Rules.Select(rule => rules.TryGetValue(rule.Id, out var edited) ? ApplyRule(rule, edited, facts) : rule)],
            Scenarios = [.. content.Scenarios.Select(s => scenarios.TryGetValue(s.Id, out var edited)
                ? s with
                {
                    Description = edited.Description.Trim(),
                    ExpectedCards = [.. edited.ExpectedCards.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)],
                }
                : s)],
        };
    }

    private static Statement ApplyStatement(Statement original, StatementFields edited)
    {
        var audience = new Dictionary<string, string>(original.AudienceText, StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(edited.PatientText))
        {
            audience.Remove(Audiences.Patient);
        }
        else
        {
            audience[Audiences.Patient] = edited.PatientText.Trim();
        }
        // Keep the board's citation order for citations still ticked (a plain save must not reorder them); new ones follow in order.
        var citations = original.Citations.Where(edited.Citations.Contains).Concat(edited.Citations.Except(original.Citations).Order()).Distinct();
        return original with { Text = edited.Text?.Trim() ?? "", Citations = [.. citations], AudienceText = audience };
    }

    private static RuleDefinition ApplyRule(RuleDefinition rule, RuleFields edited, Dictionary<string, FactDefinition> facts)
    {
        var updated = rule with { Description = edited.Description.Trim(), Card = rule.Card with { Summary = edited.Summary.Trim() } };
        if (!edited.Editable)
        {
            return updated;
        }
        var comparisons = edited.Conditions.Where(c => !string.IsNullOrWhiteSpace(c.Fact)).Select(c => ToCondition(c, facts)).ToList();
        return updated with
        {
            When = comparisons.Count switch
            {
                0 => null,
                1 => comparisons[0],
                _ => new Condition { All = comparisons },
            },
        };
    }

    private static RuleFields ToFields(RuleDefinition rule)
    {
        var rows = rule.When switch
        {
            null => [],
            { Fact: not null } single when IsSimple(single) => [FromCondition(single)],
            { All: { } all } when all.All(IsSimple) => all.Select(FromCondition).ToList(),
            _ => (List<ConditionFields>?)null,
        };
        return new RuleFields
        {
            Id = rule.Id,
            Description = rule.Description,
            Summary = rule.Card.Summary,
            Editable = rows is not null,
            Conditions = rows ?? [],
        };
    }

    private static bool IsSimple(Condition c) => c.Fact is not null && c.WhenUnknown is null && c.Op != ComparisonOperator.In;

    private static ConditionFields FromCondition(Condition c) => new()
    {
        Fact = c.Fact,
        Op = c.Op ?? ComparisonOperator.Eq,
        Value = c.Value is { } v ? v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => v.GetRawText(),
        } : null,
    };

    /// <summary>The value is typed by the fact's declaration; an unknown fact or a bad value is left for the validator to name.</summary>
    private static Condition ToCondition(ConditionFields row, Dictionary<string, FactDefinition> facts)
    {
        if (row.Op == ComparisonOperator.Known)
        {
            return new Condition { Fact = row.Fact, Op = row.Op };
        }
        var raw = row.Value?.Trim() ?? "";
        JsonElement value = facts.TryGetValue(row.Fact!, out var fact) ? fact.Type switch
        {
            FactType.Boolean when bool.TryParse(raw, out var b) => JsonSerializer.SerializeToElement(b),
            FactType.Number when double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => JsonSerializer.SerializeToElement(d),
            _ => JsonSerializer.SerializeToElement(raw),
        } : JsonSerializer.SerializeToElement(raw);
        return new Condition { Fact = row.Fact, Op = row.Op, Value = value };
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
