using System.Text;
using System.Text.RegularExpressions;
using AlkPlatform.Guidelines.Content;
using AlkPlatform.Guidelines.Rules;
using AlkPlatform.Guidelines.Workflow;
using AlkPlatform.Testing.Generators;
using AlkPlatform.Testing.Properties;
using CsCheck;

namespace AlkPlatform.Guidelines.Tests.Properties;

/// <summary>
/// Generated fact and rule definitions through the content parser and the rule compiler: malformed JSON is refused with
/// its JSON path, invalid content with every problem's path, and content that compiles evaluates every generated
/// patient exactly as the plain three-valued semantics say (rules fired, undecided, doses, conflicts).
/// </summary>
[Trait(PropertyRuns.Trait, PropertyRuns.Category)]
public sealed partial class RuleCompilerProperties
{
    /// <summary>Where a validation error may point: a part of the content that exists.</summary>
    [GeneratedRegex(@"^(guidelineId|title|question|disclaimer|references|sections|facts|rules|scenarios)(\[\d+\]|\.|$)")]
    private static partial Regex ContentPath();

    private static readonly Gen<(GeneratedRules Rules, int[] Choices, double[] Numbers)> Cases =
        Gen.Select(RuleDefinitions.Revision, Gen.Int.Array[64], GeneratedValues.AnyNumber.Array[64]);

    [Fact]
    public void Compile_GeneratedRuleDefinitions_RefusedNamingEachProblemOrEvaluatedAsTheReferenceSemantics()
    {
        PropertyRuns.Check(nameof(Compile_GeneratedRuleDefinitions_RefusedNamingEachProblemOrEvaluatedAsTheReferenceSemantics), Cases, c =>
        {
            GuidelineContent content;
            try
            {
                content = GuidelineJson.Parse(c.Rules.ToRevisionJson());
            }
            catch (GuidelineFormatException refused)
            {
                Assert.StartsWith("$", refused.Path, StringComparison.Ordinal);
                return;
            }

            CompiledGuideline compiled;
            try
            {
                compiled = CompiledGuideline.Compile(content);
            }
            catch (GuidelineValidationException refused)
            {
                Assert.NotEmpty(refused.Errors);
                Assert.All(refused.Errors, e => Assert.Matches(ContentPath(), e.Path));
                Assert.Equal(refused.Errors, GuidelineValidator.Validate(content));
                return;
            }

            // What compiles also goes through the submit gate and the canonical form without surprises.
            Assert.All(ContentGates.CheckSubmit(content), e => Assert.Matches(ContentPath(), e.Path));
            var canonical = GuidelineJson.ToCanonicalUtf8(content);
            Assert.Equal(GuidelineJson.ComputeHash(canonical), GuidelineJson.ComputeHash(GuidelineJson.Parse(Encoding.UTF8.GetString(canonical))));

            var reference = new ReferenceEvaluator(content);
            for (var patient = 0; patient < 4; patient++)
            {
                var facts = Patient(compiled, c.Choices, c.Numbers, patient);
                var evaluation = compiled.Evaluate(facts);
                var holds = content.Rules.Select(r => reference.Holds(r.When, facts)).ToList();
                Assert.Equal(
                    Enumerable.Range(0, holds.Count).Where(r => holds[r] == true).Order(),
                    evaluation.Hits.Select(h => h.Rule).Order());
                Assert.Equal(
                    Enumerable.Range(0, holds.Count).Where(r => holds[r] is null).Order(),
                    evaluation.UndecidedRules.Order());
                Assert.All(evaluation.Hits, hit => Assert.Equal(reference.Dose(content.Rules[hit.Rule], facts), hit.Dose));
                var conflicts = from a in Enumerable.Range(0, holds.Count)
                                from b in Enumerable.Range(0, holds.Count)
                                let avoid = content.Rules[a].Card
                                let advise = content.Rules[b].Card
                                where holds[a] == true && holds[b] == true && avoid.Kind == CardKind.Avoid && !string.IsNullOrEmpty(avoid.Subject)
                                      && advise.Kind is CardKind.Recommend or CardKind.Consider
                                      && string.Equals(avoid.Subject, advise.Subject, StringComparison.OrdinalIgnoreCase)
                                select (a, b);
                Assert.Equal(conflicts.Order(), evaluation.Conflicts.Select(p => (p.AvoidRule, p.AdviseRule)).Order());
                // Reading the answer as a caller would (cards, missing facts, explanation) must not throw either.
                Assert.Equal(evaluation.Conflicts.Count + evaluation.Hits.Count, evaluation.CardIds().Count());
                _ = evaluation.MissingFacts();
                _ = evaluation.Explain();
            }
        });
    }

    /// <summary>A patient the service could send: each fact unknown or a value of its type (an enum by one of its names).</summary>
    private static double[] Patient(CompiledGuideline compiled, int[] choices, double[] numbers, int patient)
    {
        var facts = compiled.NewFactVector();
        for (var i = 0; i < facts.Length; i++)
        {
            var choice = (uint)choices[(patient * 16 + i) % choices.Length];
            if (choice % 4 == 0)
            {
                continue;
            }
            var fact = compiled.Facts[i];
            facts[i] = fact.Type switch
            {
                FactType.Boolean => choice % 2,
                FactType.Number => double.IsFinite(numbers[(patient * 16 + i) % numbers.Length]) ? numbers[(patient * 16 + i) % numbers.Length] : double.NaN,
                _ => CompiledGuideline.EncodeEnum(fact, fact.Values[(int)(choice % (uint)fact.Values.Count)]),
            };
        }
        return facts;
    }
}
