using AlkPlatform.Guidelines.Content;
using AlkPlatform.Guidelines.Diffs;
using AlkPlatform.Guidelines.Questions;
using AlkPlatform.Guidelines.Rules;

namespace AlkPlatform.Guidelines.Workflow;

/// <summary>
/// The checks content must pass to be submitted (well-formed, safe, a sound lexicon and question set) and to be published
/// (its scenarios pass, and Ask meets its targets on the labelled question set).
/// </summary>
public static class ContentGates
{
    /// <summary>
    /// Every statement cites a reference, every citation resolves, summaries ≤ 140 characters, rules reference declared facts
    /// and existing statements (all from <see cref="GuidelineValidator"/>), every Markdown text is sanitisable, the lexicon
    /// passes <see cref="LexiconCheck"/> and the question set <see cref="QuestionSetCheck"/>.
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
        errors.AddRange(LexiconCheck.Check(content));
        errors.AddRange(QuestionSetCheck.Check(content));
        return errors;
    }

    /// <summary>
    /// Asks the content's labelled question set of the content itself: the targets of <see cref="QuestionSetTargets"/> must
    /// hold on the whole set and on its frozen part. Content without a question set has nothing to check.
    /// </summary>
    public static IReadOnlyList<ValidationError> CheckQuestions(GuidelineContent content) => CheckQuestions(content, out _);

    public static IReadOnlyList<ValidationError> CheckQuestions(GuidelineContent content, out QuestionSetRun? run)
    {
        ArgumentNullException.ThrowIfNull(content);
        run = null;
        var problems = new List<ValidationError>(QuestionSetCheck.Check(content));
        if (problems.Count > 0 || content.Questions is not { Count: > 0 })
        {
            return problems;
        }
        run = QuestionSetRun.Of(content);
        problems.AddRange(QuestionSetTargets.Missed(run.All).Select(m => new ValidationError("questions", $"whole set: {m}")));
        problems.AddRange(QuestionSetTargets.Missed(run.Frozen).Select(m => new ValidationError("questions", $"frozen part: {m}")));
        return problems;
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
