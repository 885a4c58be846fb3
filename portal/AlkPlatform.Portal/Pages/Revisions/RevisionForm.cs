using System.Globalization;
using System.Text.Json;
using AlkPlatform.Guidelines.Content;

namespace AlkPlatform.Portal.Pages.Revisions;

/// <summary>
/// The editor's form: every editable part of a revision as plain fields. Rules are edited through a condition builder
/// (fact · operator · value rows under one "all of" or "any of" group); a rule whose condition nests deeper keeps it unchanged.
/// The lexicon is edited like the statements: concepts as rows, terms and generic words as comma-separated lists.
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
    public LexiconFields Lexicon { get; set; } = new();

    public sealed class LexiconFields
    {
        public string? Subject { get; set; }
        /// <summary>Comma-separated.</summary>
        public string? GenericWords { get; set; }
        public List<ConceptFields> Concepts { get; set; } = [];
    }

    public sealed class ConceptFields
    {
        public string? Id { get; set; }
        /// <summary>Comma-separated equivalent terms.</summary>
        public string? Terms { get; set; }
        public bool Qualifier { get; set; }
        public bool Remove { get; set; }
    }

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
        /// <summary>Comma-separated; what the statement answers besides its own words.</summary>
        public string? Keywords { get; set; }
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
        /// <summary>Whether all of the rows or any of them must hold.</summary>
        public ConditionGroup Group { get; set; } = ConditionGroup.All;
        public List<ConditionFields> Conditions { get; set; } = [];
        /// <summary>The condition in words, for a rule the builder can't show.</summary>
        public string? ReadOnlyCondition { get; set; }
    }

    public sealed class ConditionFields
    {
        public string? Fact { get; set; }
        public ComparisonOperator Op { get; set; } = ComparisonOperator.Eq;
        public string? Value { get; set; }
        /// <summary>The ticked enum values of an <see cref="ComparisonOperator.In"/> comparison.</summary>
        public List<string> Values { get; set; } = [];
        /// <summary>Null is the default (an unknown fact leaves the comparison unknown).</summary>
        public UnknownOutcome? WhenUnknown { get; set; }
    }

    public enum ConditionGroup
    {
        All,
        Any,
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
            Keywords = s.Keywords is null ? null : string.Join(", ", s.Keywords),
        })],
        References = [.. content.References.Select(r => new ReferenceFields { Number = r.Number, Text = r.Text, BoardNote = r.BoardNote })],
        Rules = [.. content.Rules.Select(ToFields)],
        Scenarios = [.. content.Scenarios.Select(s => new ScenarioFields
        {
            Id = s.Id,
            Description = s.Description,
            ExpectedCards = string.Join(", ", s.ExpectedCards),
        })],
        Lexicon = content.Lexicon is not { } lexicon ? new LexiconFields() : new LexiconFields
        {
            Subject = lexicon.Subject,
            GenericWords = string.Join(", ", lexicon.GenericWords),
            Concepts = [.. lexicon.Concepts.Select(c => new ConceptFields { Id = c.Id, Terms = string.Join(", ", c.Terms), Qualifier = c.Qualifier })],
        },
    };

    /// <summary>Applies the form onto the revision's content; structure the form doesn't show (section order, facts, cards) is kept.</summary>
    public GuidelineContent ApplyTo(GuidelineContent content)
    {
        var sections = ById(Sections, s => s.Id);
        var statements = ById(Statements, s => s.Id);
        var facts = content.Facts.ToDictionary(f => f.Id, StringComparer.Ordinal);
        var rules = ById(Rules, r => r.Id);
        var scenarios = ById(Scenarios, s => s.Id);
        return content with
        {
            Title = Title?.Trim() ?? "",
            Question = Question?.Trim() ?? "",
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
                    Description = edited.Description?.Trim() ?? "",
                    ExpectedCards = [.. (edited.ExpectedCards ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)],
                }
                : s)],
            Lexicon = ApplyLexicon(content.Lexicon),
        };
    }

    /// <summary>The lexicon as edited; content without one keeps none while the form leaves it empty, so a plain save is lossless.</summary>
    private Lexicon? ApplyLexicon(Lexicon? original)
    {
        var concepts = Lexicon.Concepts.Where(c => !c.Remove && !string.IsNullOrWhiteSpace(c.Id))
            .Select(c => new Concept { Id = c.Id!.Trim(), Terms = List(c.Terms), Qualifier = c.Qualifier })
            .ToList();
        var generic = List(Lexicon.GenericWords);
        var subject = Blank(Lexicon.Subject);
        if (original is null && concepts.Count == 0 && generic.Count == 0 && subject is null)
        {
            return null;
        }
        return new Lexicon { Subject = subject, Concepts = concepts, GenericWords = generic };
    }

    /// <summary>A comma-separated list, trimmed, blanks dropped, order kept.</summary>
    private static List<string> List(string? text) =>
        [.. (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

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
        var keywords = List(edited.Keywords);
        return original with
        {
            Text = edited.Text?.Trim() ?? "",
            Citations = [.. citations],
            AudienceText = audience,
            Keywords = keywords.Count > 0 ? keywords : original.Keywords is { Count: 0 } ? original.Keywords : null,
        };
    }

    private static RuleDefinition ApplyRule(RuleDefinition rule, RuleFields edited, Dictionary<string, FactDefinition> facts)
    {
        var updated = rule with { Description = edited.Description?.Trim() ?? "", Card = rule.Card with { Summary = edited.Summary?.Trim() ?? "" } };
        var original = ToFields(rule);
        if (!edited.Editable || !original.Editable)
        {
            return updated;
        }
        var rows = edited.Conditions.Where(c => !string.IsNullOrWhiteSpace(c.Fact)).ToList();
        // An untouched builder keeps the stored condition as it was, so a plain save is lossless (value spelling, value order, group of one).
        if (SameConditions(original, edited.Group, rows))
        {
            return updated;
        }
        var comparisons = rows.Select(c => ToCondition(c, facts)).ToList();
        return updated with
        {
            When = comparisons.Count switch
            {
                0 => null,
                1 => comparisons[0],
                _ when edited.Group == ConditionGroup.Any => new Condition { Any = comparisons },
                _ => new Condition { All = comparisons },
            },
        };
    }

    private static bool SameConditions(RuleFields original, ConditionGroup group, List<ConditionFields> rows) =>
        (original.Group == group || rows.Count <= 1)
        && original.Conditions.Count == rows.Count
        && original.Conditions.Zip(rows).All(pair =>
            pair.First.Fact == pair.Second.Fact
            && pair.First.Op == pair.Second.Op
            && pair.First.WhenUnknown == Normalise(pair.Second.WhenUnknown)
            && (pair.First.Op == ComparisonOperator.In
                ? pair.First.Values.ToHashSet(StringComparer.Ordinal).SetEquals(pair.Second.Values)
                : pair.First.Op == ComparisonOperator.Known || (pair.First.Value ?? "") == (pair.Second.Value?.Trim() ?? "")));

    private static RuleFields ToFields(RuleDefinition rule)
    {
        var (group, rows) = rule.When switch
        {
            null => (ConditionGroup.All, new List<ConditionFields>()),
            { Fact: not null } single => (ConditionGroup.All, new List<ConditionFields> { FromCondition(single) }),
            { All: { } all } when all.All(IsComparison) => (ConditionGroup.All, all.Select(FromCondition).ToList()),
            { Any: { } any } when any.All(IsComparison) => (ConditionGroup.Any, any.Select(FromCondition).ToList()),
            _ => (ConditionGroup.All, (List<ConditionFields>?)null),
        };
        return new RuleFields
        {
            Id = rule.Id,
            Description = rule.Description,
            Summary = rule.Card.Summary,
            Editable = rows is not null,
            Group = group,
            Conditions = rows ?? [],
            ReadOnlyCondition = rows is null && rule.When is { } when ? Describe(when) : null,
        };
    }

    private static bool IsComparison(Condition c) => c.Fact is not null;

    private static UnknownOutcome? Normalise(UnknownOutcome? outcome) => outcome == UnknownOutcome.Unknown ? null : outcome;

    private static ConditionFields FromCondition(Condition c) => new()
    {
        Fact = c.Fact,
        Op = c.Op ?? ComparisonOperator.Eq,
        Value = c.Value is { } v ? Text(v) : null,
        Values = [.. c.Values ?? []],
        WhenUnknown = Normalise(c.WhenUnknown),
    };

    private static string Text(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.String => v.GetString() ?? "",
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => v.GetRawText(),
    };

    private static string Describe(Condition c) => c switch
    {
        { All: { } all } => $"all of ({string.Join("; ", all.Select(Describe))})",
        { Any: { } any } => $"any of ({string.Join("; ", any.Select(Describe))})",
        { Not: { } not } => $"not ({Describe(not)})",
        _ => $"{c.Fact} {c.Op} {(c.Op == ComparisonOperator.In ? string.Join("/", c.Values ?? []) : c.Value is { } v ? Text(v) : "")}".TrimEnd()
            + (c.WhenUnknown is { } w and not UnknownOutcome.Unknown ? $" (when unknown: {w})" : ""),
    };

    /// <summary>The value is typed by the fact's declaration; an unknown fact or a bad value is left for the validator to name.</summary>
    private static Condition ToCondition(ConditionFields row, Dictionary<string, FactDefinition> facts)
    {
        var whenUnknown = Normalise(row.WhenUnknown);
        if (row.Op == ComparisonOperator.Known)
        {
            return new Condition { Fact = row.Fact, Op = row.Op, WhenUnknown = whenUnknown };
        }
        if (row.Op == ComparisonOperator.In)
        {
            return new Condition { Fact = row.Fact, Op = row.Op, Values = [.. row.Values.Where(v => !string.IsNullOrWhiteSpace(v)).Distinct(StringComparer.Ordinal)], WhenUnknown = whenUnknown };
        }
        var raw = row.Value?.Trim() ?? "";
        JsonElement value = facts.TryGetValue(row.Fact!, out var fact) ? fact.Type switch
        {
            FactType.Boolean when bool.TryParse(raw, out var b) => JsonSerializer.SerializeToElement(b),
            // "NaN" and "1e400" parse too, but no JSON number holds them: kept as text, the validator names the mismatch.
            FactType.Number when double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) => JsonSerializer.SerializeToElement(d),
            _ => JsonSerializer.SerializeToElement(raw),
        } : JsonSerializer.SerializeToElement(raw);
        return new Condition { Fact = row.Fact, Op = row.Op, Value = value, WhenUnknown = whenUnknown };
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    /// <summary>
    /// The posted items by id. A browser posts each item once with its id; in a tampered or stale post an item without an
    /// id is ignored and, of duplicates, the first counts (the model binder leaves empty fields null, whatever their type says).
    /// </summary>
    private static Dictionary<string, T> ById<T>(IEnumerable<T> items, Func<T, string?> id)
    {
        var byId = new Dictionary<string, T>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            if (id(item) is { Length: > 0 } key)
            {
                byId.TryAdd(key, item);
            }
        }
        return byId;
    }
}
