using System.Text.Json;
using AlkPlatform.Guidelines.Content;
using AlkPlatform.Guidelines.Rules;

namespace AlkPlatform.Guidelines.Tests;

public class RuleValidationTests
{
    private static GuidelineContent WithRule(RuleDefinition rule)
    {
        var seed = SeedGuideline.Load();
        return seed with { Rules = [.. seed.Rules, rule] };
    }

    private static RuleDefinition Rule(Condition? when, string statement = "pitfall-rituximab", string summary = "A test card.") => new()
    {
        Id = "R-TEST",
        Description = "test",
        When = when,
        Card = new CardTemplate { Id = "test-card", Kind = CardKind.Assess, Severity = CardSeverity.Info, Summary = summary, Statements = [statement] },
    };

    private static JsonElement Json(object value) => JsonSerializer.SerializeToElement(value);

    private static ValidationError SingleError(GuidelineContent content)
    {
        var errors = GuidelineValidator.Validate(content);
        var error = Assert.Single(errors);
        Assert.Throws<GuidelineValidationException>(() => CompiledGuideline.Compile(content));
        return error;
    }

    [Fact]
    public void Condition_OnUndeclaredFact_IsRejectedWithItsPath()
    {
        var error = SingleError(WithRule(Rule(new Condition { Fact = "ecog_status", Op = ComparisonOperator.Eq, Value = Json(1) })));

        Assert.Equal("rules[14].when.fact", error.Path);
        Assert.Contains("unknown fact 'ecog_status'", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Condition_ComparingANumberFactWithAString_IsATypeMismatch()
    {
        var error = SingleError(WithRule(Rule(new Condition { Fact = "weight_kg", Op = ComparisonOperator.Lt, Value = Json("heavy") })));

        Assert.Equal("rules[14].when.value", error.Path);
        Assert.Contains("type mismatch", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Condition_WithAnUndeclaredEnumValue_IsRejected()
    {
        var error = SingleError(WithRule(Rule(new Condition { Fact = "line_of_therapy", Op = ComparisonOperator.Eq, Value = Json("second_line") })));

        Assert.Contains("'second_line' is not a value of 'line_of_therapy'", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void LessThan_OnAnEnumFact_IsRejected()
    {
        var error = SingleError(WithRule(Rule(new Condition { Fact = "line_of_therapy", Op = ComparisonOperator.Lt, Value = Json("frontline") })));

        Assert.Equal("rules[14].when.op", error.Path);
    }

    [Fact]
    public void Card_OnADanglingStatement_IsRejected()
    {
        var error = SingleError(WithRule(Rule(null, statement: "no-such-statement")));

        Assert.Equal("rules[14].card.statements", error.Path);
        Assert.Contains("'no-such-statement' does not exist", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void CardSummary_Over140Characters_IsRejected()
    {
        var error = SingleError(WithRule(Rule(null, summary: new string('x', 141))));

        Assert.Equal("rules[14].card.summary", error.Path);
        Assert.Contains("141 characters", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Condition_WithTwoForms_IsRejected()
    {
        var error = SingleError(WithRule(Rule(new Condition
        {
            Fact = "weight_kg", Op = ComparisonOperator.Lt, Value = Json(35),
            Not = new Condition { Fact = "cns_involvement", Op = ComparisonOperator.Eq, Value = Json(true) },
        })));

        Assert.Contains("exactly one of", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Statement_CitingAReferenceNotInTheList_IsRejected()
    {
        var seed = SeedGuideline.Load();
        var section = seed.Sections[0] with { Statements = [seed.Sections[0].Statements[0] with { Citations = [1, 9] }] };
        var error = SingleError(seed with { Sections = [section, .. seed.Sections.Skip(1)] });

        Assert.Equal("sections[0].statements[0].citations", error.Path);
        Assert.Contains("reference 9", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Statement_CitingNothing_IsRejected()
    {
        var seed = SeedGuideline.Load();
        var section = seed.Sections[0] with { Statements = [seed.Sections[0].Statements[0] with { Citations = [] }] };

        Assert.Contains("cites no reference", SingleError(seed with { Sections = [section, .. seed.Sections.Skip(1)] }).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void DuplicateRuleId_IsRejected()
    {
        var seed = SeedGuideline.Load();
        var copy = seed.Rules[0] with { Card = seed.Rules[0].Card with { Id = "another-card" } };

        Assert.Contains("used twice", SingleError(seed with { Rules = [.. seed.Rules, copy] }).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnknownProperty_FailsWithItsPath()
    {
        var json = SeedGuideline.ReadJson().Replace("\"guidelineId\"", "\"guidelineIdentifier\"", StringComparison.Ordinal);

        var error = Assert.Throws<GuidelineFormatException>(() => GuidelineJson.Parse(json));
        Assert.Contains("guidelineIdentifier", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_IsDeterministic_ForTheSameFacts()
    {
        var compiled = TestGuideline.Seed;
        var facts = compiled.Facts(("line_of_therapy", "relapsed_refractory"), ("cns_involvement", true), ("alectinib_available", false));

        var first = compiled.Evaluate(facts).CardIds().ToList();
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(first, compiled.Evaluate(facts).CardIds());
        }
    }

    [Fact]
    public void WhenUnknownTrue_TreatsAMissingFactAsSatisfied_WhileDefaultLogicLeavesTheRuleUndecided()
    {
        var evaluation = TestGuideline.Evaluate(("line_of_therapy", "relapsed_refractory"));

        // alectinib_available is unknown: the alectinib rule says "unless unavailable" and fires; the crizotinib fallback is undecided.
        Assert.Contains("rr-alectinib", evaluation.CardIds());
        Assert.Contains(evaluation.UndecidedRules, r => TestGuideline.Seed.Rule(r).Id == "R-RR-CRIZOTINIB-FALLBACK");
        Assert.Contains(evaluation.MissingFacts(), m => m.Fact == "alectinib_available");
    }
}
