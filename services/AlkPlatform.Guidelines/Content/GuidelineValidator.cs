using System.Text.Json;
using AlkPlatform.Guidelines.Rules;

namespace AlkPlatform.Guidelines.Content;

/// <summary>Checks a revision's content before it can be compiled, submitted or released.</summary>
public static class GuidelineValidator
{
    public const int MaxSummaryLength = 140;

    public static IReadOnlyList<ValidationError> Validate(GuidelineContent content)
    {
        var errors = new List<ValidationError>();
        Require(errors, "guidelineId", content.GuidelineId);
        Require(errors, "title", content.Title);

        var referenceNumbers = new HashSet<int>();
        for (var i = 0; i < content.References.Count; i++)
        {
            var reference = content.References[i];
            if (reference.Number <= 0)
            {
                errors.Add(new($"references[{i}].number", "must be a positive number"));
            }
            else if (!referenceNumbers.Add(reference.Number))
            {
                errors.Add(new($"references[{i}].number", $"reference {reference.Number} is declared twice"));
            }
            Require(errors, $"references[{i}].text", reference.Text);
        }

        var statementIds = new HashSet<string>(StringComparer.Ordinal);
        var sectionIds = new HashSet<string>(StringComparer.Ordinal);
        for (var s = 0; s < content.Sections.Count; s++)
        {
            var section = content.Sections[s];
            if (!Require(errors, $"sections[{s}].id", section.Id) || !sectionIds.Add(section.Id))
            {
                errors.Add(new($"sections[{s}].id", $"section id '{section.Id}' is used twice"));
            }
            Require(errors, $"sections[{s}].title", section.Title);
            if (section.Level is < 2 or > 3)
            {
                errors.Add(new($"sections[{s}].level", "must be 2 (heading) or 3 (sub-heading)"));
            }
            for (var i = 0; i < section.Statements.Count; i++)
            {
                var statement = section.Statements[i];
                var path = $"sections[{s}].statements[{i}]";
                if (Require(errors, $"{path}.id", statement.Id) && !statementIds.Add(statement.Id))
                {
                    errors.Add(new($"{path}.id", $"statement id '{statement.Id}' is used twice"));
                }
                Require(errors, $"{path}.text", statement.Text);
                if (statement.Citations.Count == 0)
                {
                    errors.Add(new($"{path}.citations", $"statement '{statement.Id}' cites no reference"));
                }
                foreach (var number in statement.Citations.Where(n => !referenceNumbers.Contains(n)))
                {
                    errors.Add(new($"{path}.citations", $"statement '{statement.Id}' cites reference {number}, which is not in the reference list"));
                }
                foreach (var audience in statement.AudienceText.Keys.Where(a => !Audiences.Known.Contains(a)))
                {
                    errors.Add(new($"{path}.audienceText", $"unknown audience '{audience}' (known: {string.Join(", ", Audiences.Known)})"));
                }
            }
        }

        var facts = new Dictionary<string, FactDefinition>(StringComparer.Ordinal);
        for (var i = 0; i < content.Facts.Count; i++)
        {
            var fact = content.Facts[i];
            if (Require(errors, $"facts[{i}].id", fact.Id) && !facts.TryAdd(fact.Id, fact))
            {
                errors.Add(new($"facts[{i}].id", $"fact '{fact.Id}' is declared twice"));
            }
            if (!Enum.IsDefined(fact.Type))
            {
                errors.Add(new($"facts[{i}].type", $"unknown fact type '{fact.Type}' (known: boolean, number, enum)"));
            }
            else if (fact.Type == FactType.Enum && fact.Values.Count is 0 or > 64)
            {
                errors.Add(new($"facts[{i}].values", "an enum fact declares between 1 and 64 values"));
            }
        }

        var cardIds = new HashSet<string>(StringComparer.Ordinal);
        var ruleIds = new HashSet<string>(StringComparer.Ordinal);
        for (var r = 0; r < content.Rules.Count; r++)
        {
            var rule = content.Rules[r];
            var path = $"rules[{r}]";
            if (Require(errors, $"{path}.id", rule.Id) && !ruleIds.Add(rule.Id))
            {
                errors.Add(new($"{path}.id", $"rule id '{rule.Id}' is used twice"));
            }
            if (rule.When is not null)
            {
                ValidateCondition(errors, facts, rule.When, $"{path}.when");
            }
            var card = rule.Card;
            if (Require(errors, $"{path}.card.id", card.Id) && !cardIds.Add(card.Id))
            {
                errors.Add(new($"{path}.card.id", $"card id '{card.Id}' is used twice"));
            }
            if (!Enum.IsDefined(card.Kind))
            {
                errors.Add(new($"{path}.card.kind", $"unknown card kind '{card.Kind}'"));
            }
            if (!Enum.IsDefined(card.Severity))
            {
                errors.Add(new($"{path}.card.severity", $"unknown severity '{card.Severity}'"));
            }
            if (Require(errors, $"{path}.card.summary", card.Summary) && card.Summary.Length > MaxSummaryLength)
            {
                errors.Add(new($"{path}.card.summary", $"is {card.Summary.Length} characters; the limit is {MaxSummaryLength}"));
            }
            if (card.Statements.Count == 0)
            {
                errors.Add(new($"{path}.card.statements", "a card rests on at least one statement"));
            }
            foreach (var id in card.Statements.Where(id => !statementIds.Contains(id)))
            {
                errors.Add(new($"{path}.card.statements", $"statement '{id}' does not exist"));
            }
            if (card.Therapy is { } therapy)
            {
                Require(errors, $"{path}.card.therapy.drug", therapy.Drug);
                for (var d = 0; d < therapy.DoseOptions.Count; d++)
                {
                    if (!double.IsFinite(therapy.DoseOptions[d].Dose) || therapy.DoseOptions[d].Dose <= 0)
                    {
                        errors.Add(new($"{path}.card.therapy.doses[{d}].dose", "must be positive"));
                    }
                    if (therapy.DoseOptions[d].When is { } when)
                    {
                        ValidateCondition(errors, facts, when, $"{path}.card.therapy.doses[{d}].when");
                    }
                }
            }
        }

        var scenarioIds = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < content.Scenarios.Count; i++)
        {
            var scenario = content.Scenarios[i];
            var path = $"scenarios[{i}]";
            if (Require(errors, $"{path}.id", scenario.Id) && !scenarioIds.Add(scenario.Id))
            {
                errors.Add(new($"{path}.id", $"scenario id '{scenario.Id}' is used twice"));
            }
            foreach (var (factId, value) in scenario.Facts)
            {
                if (!facts.TryGetValue(factId, out var fact))
                {
                    errors.Add(new($"{path}.facts.{factId}", $"unknown fact '{factId}'"));
                }
                else if (CheckValue(fact, value) is { } problem)
                {
                    errors.Add(new($"{path}.facts.{factId}", problem));
                }
            }
            foreach (var card in scenario.ExpectedCards.Where(c => !cardIds.Contains(c) && !c.StartsWith(ConflictCards.IdPrefix, StringComparison.Ordinal)))
            {
                errors.Add(new($"{path}.expectedCards", $"card '{card}' is produced by no rule"));
            }
            foreach (var fact in scenario.ExpectedMissingFacts.Where(f => !facts.ContainsKey(f)))
            {
                errors.Add(new($"{path}.expectedMissingFacts", $"unknown fact '{fact}'"));
            }
        }
        return errors;
    }

    public static void ThrowIfInvalid(GuidelineContent content)
    {
        var errors = Validate(content);
        if (errors.Count > 0)
        {
            throw new GuidelineValidationException(errors);
        }
    }

    private static void ValidateCondition(List<ValidationError> errors, Dictionary<string, FactDefinition> facts, Condition condition, string path)
    {
        var forms = (condition.All is null ? 0 : 1) + (condition.Any is null ? 0 : 1) + (condition.Not is null ? 0 : 1) + (condition.Fact is null ? 0 : 1);
        if (forms != 1)
        {
            errors.Add(new(path, "a condition has exactly one of 'all', 'any', 'not' or 'fact'"));
            return;
        }
        if (condition.All is { } all)
        {
            for (var i = 0; i < all.Count; i++)
            {
                ValidateCondition(errors, facts, all[i], $"{path}.all[{i}]");
            }
            return;
        }
        if (condition.Any is { } any)
        {
            if (any.Count == 0)
            {
                errors.Add(new($"{path}.any", "'any' needs at least one condition"));
            }
            for (var i = 0; i < any.Count; i++)
            {
                ValidateCondition(errors, facts, any[i], $"{path}.any[{i}]");
            }
            return;
        }
        if (condition.Not is { } not)
        {
            ValidateCondition(errors, facts, not, $"{path}.not");
            return;
        }

        if (!facts.TryGetValue(condition.Fact!, out var fact))
        {
            errors.Add(new($"{path}.fact", $"unknown fact '{condition.Fact}'"));
            return;
        }
        if (condition.Op is not { } op)
        {
            errors.Add(new($"{path}.op", $"missing operator for fact '{fact.Id}'"));
            return;
        }
        if (!Enum.IsDefined(op))
        {
            errors.Add(new($"{path}.op", $"unknown operator '{op}'"));
            return;
        }
        if (condition.WhenUnknown is { } whenUnknown && !Enum.IsDefined(whenUnknown))
        {
            errors.Add(new($"{path}.whenUnknown", $"unknown outcome '{whenUnknown}' (known: unknown, true, false)"));
        }
        switch (op)
        {
            case ComparisonOperator.Known:
                return;
            case ComparisonOperator.In:
                if (fact.Type != FactType.Enum)
                {
                    errors.Add(new($"{path}.op", $"'in' applies to enum facts; '{fact.Id}' is {fact.Type.ToString().ToLowerInvariant()}"));
                }
                else if (condition.Values is not { Count: > 0 } values)
                {
                    errors.Add(new($"{path}.values", "'in' needs a list of values"));
                }
                else
                {
                    foreach (var v in values.Where(v => !fact.Values.Contains(v)))
                    {
                        errors.Add(new($"{path}.values", $"'{v}' is not a value of '{fact.Id}' ({string.Join(", ", fact.Values)})"));
                    }
                }
                return;
            case ComparisonOperator.Lt or ComparisonOperator.Lte or ComparisonOperator.Gt or ComparisonOperator.Gte
                when fact.Type != FactType.Number:
                errors.Add(new($"{path}.op", $"'{op.ToString().ToLowerInvariant()}' applies to number facts; '{fact.Id}' is {fact.Type.ToString().ToLowerInvariant()}"));
                return;
        }
        if (condition.Value is not { } value)
        {
            errors.Add(new($"{path}.value", $"missing value for fact '{fact.Id}'"));
        }
        else if (CheckValue(fact, value) is { } problem)
        {
            errors.Add(new($"{path}.value", problem));
        }
    }

    /// <summary>Null when <paramref name="value"/> fits the fact's type; otherwise the reason it does not.</summary>
    public static string? CheckValue(FactDefinition fact, JsonElement value) => fact.Type switch
    {
        FactType.Boolean when value.ValueKind is not (JsonValueKind.True or JsonValueKind.False) =>
            $"type mismatch: '{fact.Id}' is boolean, got {Describe(value)}",
        FactType.Number when value.ValueKind != JsonValueKind.Number =>
            $"type mismatch: '{fact.Id}' is a number, got {Describe(value)}",
        FactType.Number when !value.TryGetDouble(out var number) || !double.IsFinite(number) =>
            $"{value.GetRawText()} is not a finite number",
        FactType.Enum when value.ValueKind != JsonValueKind.String =>
            $"type mismatch: '{fact.Id}' is an enum ({string.Join(", ", fact.Values)}), got {Describe(value)}",
        FactType.Enum when !fact.Values.Contains(value.GetString()!) =>
            $"'{value.GetString()}' is not a value of '{fact.Id}' ({string.Join(", ", fact.Values)})",
        _ => null,
    };

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => $"the string \"{value.GetString()}\"",
        JsonValueKind.Number => $"the number {value.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => $"the boolean {value.GetRawText()}",
        _ => value.ValueKind.ToString().ToLowerInvariant(),
    };

    private static bool Require(List<ValidationError> errors, string path, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add(new(path, "is required"));
            return false;
        }
        return true;
    }
}
