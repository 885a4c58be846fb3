using AlkPlatform.Guidelines.Content;
using AlkPlatform.Guidelines.Diffs;
using AlkPlatform.Guidelines.Rules;

namespace AlkPlatform.Guidelines.Workflow;

/// <summary>The checks content must pass to be submitted (well-formed, safe) and to be published (its scenarios pass).</summary>
public static class ContentGates
{
    /// <summary>
    /// Every statement cites a reference, every citation resolves, summaries ≤ 140 characters, rules reference declared facts
    /// and existing statements (all from <see cref="GuidelineValidator"/>), and every Markdown text is sanitisable.
    /// </summary>
    public static IReadOnlyList<ValidationError> CheckSubmit(GuidelineContent content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var errors = new List<ValidationError>(GuidelineValidator.Validate(content));
        if (string.IsNullOrWhiteSpace(content.Question))
        {
            errors.Add(new("question", "is required: the clinical question the guideline answers"));
        }
        if (!content.AllStatements().Any())
        {
            errors.Add(new("sections", "a submitted revision has at least one statement"));
        }
        errors.AddRange(MarkdownSafety.Check(content));
        return errors;
    }

    /// <summary>Every canonical scenario yields exactly its expected cards (in order) and missing facts under this content.</summary>
    public static IReadOnlyList<ValidationError> CheckScenarios(GuidelineContent content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var validation = GuidelineValidator.Validate(content);
        if (validation.Count > 0)
        {
            return validation;
        }
        var compiled = CompiledGuideline.Compile(content);
        var errors = new List<ValidationError>();
        if (content.Scenarios.Count == 0)
        {
            errors.Add(new("scenarios", "the content has no canonical scenario; at least one must pass before publish"));
        }
        for (var i = 0; i < content.Scenarios.Count; i++)
        {
            var scenario = content.Scenarios[i];
            var outcome = ImpactPreview.Evaluate(compiled, scenario.Facts);
            var cards = outcome.Cards.Select(c => c.CardId).ToList();
            if (!cards.SequenceEqual(scenario.ExpectedCards, StringComparer.Ordinal))
            {
                errors.Add(new($"scenarios[{i}]",
                    $"scenario '{scenario.Id}' expects cards [{string.Join(", ", scenario.ExpectedCards)}] but gets [{string.Join(", ", cards)}]"));
            }
            if (!outcome.MissingFacts.Order(StringComparer.Ordinal).SequenceEqual(scenario.ExpectedMissingFacts.Order(StringComparer.Ordinal), StringComparer.Ordinal))
            {
                errors.Add(new($"scenarios[{i}]",
                    $"scenario '{scenario.Id}' expects missing facts [{string.Join(", ", scenario.ExpectedMissingFacts)}] but gets [{string.Join(", ", outcome.MissingFacts)}]"));
            }
        }
        return errors;
    }
}
