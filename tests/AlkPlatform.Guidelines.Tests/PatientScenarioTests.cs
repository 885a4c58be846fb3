using AlkPlatform.Guidelines.Rules;

namespace AlkPlatform.Guidelines.Tests;

/// <summary>What a clinician would see for distinct patient situations under the seed guideline.</summary>
public class PatientScenarioTests
{
    private const string Line = "line_of_therapy";
    private const string RR = "relapsed_refractory";

    private static RenderedCard Card(Evaluation evaluation, string cardId)
    {
        var hit = evaluation.Hits.Single(h => TestGuideline.Seed.Rule(h.Rule).Card.Id == cardId);
        return CardRenderer.Render(TestGuideline.Seed, hit, "clinician");
    }

    [Fact]
    public void Frontline_RecommendsAnthracyclineChemo_AndNoAlkInhibitorDose()
    {
        var evaluation = TestGuideline.Evaluate((Line, "frontline"), ("cns_involvement", false), ("current_alk_inhibitor", "none"));

        Assert.Equal(
            ["avoid-rituximab", "avoid-relying-on-intensification", "frontline-anthracycline-chemo", "frontline-consider-alk-inhibitor"],
            evaluation.CardIds());
        Assert.Contains("investigational", Card(evaluation, "frontline-consider-alk-inhibitor").Summary, StringComparison.Ordinal);
        Assert.Empty(evaluation.MissingFacts());
    }

    [Fact]
    public void RelapsedRefractory70Kg_NoCns_AlectinibAt300mgTwiceDaily_AndAvoidRituximabFirst()
    {
        var evaluation = TestGuideline.Evaluate((Line, RR), ("weight_kg", 70), ("cns_involvement", false),
            ("allogeneic_transplant_eligible", false));

        var cards = evaluation.CardIds().ToList();
        Assert.Equal("avoid-rituximab", cards[0]);
        var alectinib = Card(evaluation, "rr-alectinib");
        Assert.True(alectinib.Therapy!.DoseResolved);
        Assert.Equal(300, alectinib.Therapy.Dose);
        Assert.Equal("mg", alectinib.Therapy.Unit);
        Assert.Equal("twice daily", alectinib.Therapy.Frequency);
        Assert.Equal("orally", alectinib.Therapy.Route);
        Assert.Equal([1, 2, 3], alectinib.Citations.Select(c => c.Number));
        Assert.Contains("ALCL", alectinib.EvidencePopulation, StringComparison.Ordinal);
        Assert.DoesNotContain("rr-crizotinib", cards);
    }

    [Theory]
    [InlineData(30, 150)]
    [InlineData(34.9, 150)]
    [InlineData(35, 300)]
    [InlineData(120, 300)]
    public void RelapsedRefractory_AlectinibDose_FollowsThe35KgThreshold(double weight, double expectedDose)
    {
        var evaluation = TestGuideline.Evaluate((Line, RR), ("weight_kg", weight));

        Assert.Equal(expectedDose, Card(evaluation, "rr-alectinib").Therapy!.Dose);
    }

    [Fact]
    public void RelapsedRefractory_WeightUnknown_LeavesDoseOpen_AndAsksForWeight()
    {
        var evaluation = TestGuideline.Evaluate((Line, RR), ("cns_involvement", false), ("allogeneic_transplant_eligible", false));

        var alectinib = Card(evaluation, "rr-alectinib");
        Assert.False(alectinib.Therapy!.DoseResolved);
        Assert.Equal([150d, 300d], alectinib.Therapy.DoseOptions.Select(d => d.Dose));
        Assert.Contains("Dose depends on a fact that was not given", alectinib.DetailMarkdown, StringComparison.Ordinal);
        var weight = Assert.Single(evaluation.MissingFacts(), m => m.Fact == "weight_kg");
        Assert.Contains(weight.Affects, a => a.Contains("150 mg", StringComparison.Ordinal) && a.Contains("<35 kg", StringComparison.Ordinal));
    }

    [Fact]
    public void RelapsedRefractory_CnsDisease_AlectinibAvailable_AvoidsCrizotinib_WithoutConflict()
    {
        var evaluation = TestGuideline.Evaluate((Line, RR), ("weight_kg", 70), ("cns_involvement", true), ("alectinib_available", true));

        var cards = evaluation.CardIds().ToList();
        Assert.Contains("avoid-crizotinib-cns", cards);
        Assert.Contains("rr-alectinib", cards);
        Assert.Empty(evaluation.Conflicts);
    }

    [Fact]
    public void RelapsedRefractory_CnsDisease_AlectinibUnavailable_ReturnsConflictCardCitingBothStatements()
    {
        var evaluation = TestGuideline.Evaluate((Line, RR), ("weight_kg", 70), ("cns_involvement", true),
            ("alectinib_available", false), ("crizotinib_available", true));

        var conflict = Assert.Single(evaluation.Conflicts);
        Assert.Equal("conflict:avoid-crizotinib-cns+rr-crizotinib", evaluation.CardIds().First());
        var card = CardRenderer.RenderConflict(TestGuideline.Seed, conflict, "clinician");
        Assert.Equal(Content.CardSeverity.Critical, card.Severity);
        Assert.Contains("rr-crizotinib-if-unavailable", card.StatementIds);
        Assert.Contains("pitfall-crizotinib-cns", card.StatementIds);
        Assert.Equal(["R-RR-CRIZOTINIB-FALLBACK", "R-PITFALL-CRIZOTINIB-CNS"], card.RuleIds);
        // Neither side is silently dropped.
        Assert.Contains("rr-crizotinib", evaluation.CardIds());
        Assert.Contains("avoid-crizotinib-cns", evaluation.CardIds());
    }

    [Fact]
    public void RelapsedRefractory_AlectinibUnavailable_NoCns_Crizotinib250mg_WithPneumonitisMonitoring()
    {
        var evaluation = TestGuideline.Evaluate((Line, RR), ("weight_kg", 70), ("cns_involvement", false), ("alectinib_available", false));

        var crizotinib = Card(evaluation, "rr-crizotinib");
        Assert.Equal(250, crizotinib.Therapy!.Dose);
        Assert.Equal([3, 4], crizotinib.Citations.Select(c => c.Number));
        Assert.Contains("monitor-pneumonitis-crizotinib", evaluation.CardIds());
        Assert.DoesNotContain("rr-alectinib", evaluation.CardIds());
    }

    [Fact]
    public void RelapsedRefractory_AlectinibUnavailable_CnsUnknown_AsksAboutCnsInvolvement()
    {
        var evaluation = TestGuideline.Evaluate((Line, RR), ("weight_kg", 70), ("alectinib_available", false));

        var cns = Assert.Single(evaluation.MissingFacts(), m => m.Fact == "cns_involvement");
        Assert.Contains("R-PITFALL-CRIZOTINIB-CNS", cns.RuleIds);
        Assert.Equal("Does the patient have CNS involvement?", cns.Question);
    }

    [Fact]
    public void RelapsedRefractory_TransplantEligibleChemosensitive_ConsidersAllogeneicTransplant()
    {
        var evaluation = TestGuideline.Evaluate((Line, RR), ("weight_kg", 70), ("cns_involvement", false),
            ("allogeneic_transplant_eligible", true), ("chemosensitive_disease", true));

        Assert.Contains("consider-allogeneic-sct", evaluation.CardIds());
        Assert.DoesNotContain(evaluation.MissingFacts(), m => m.Fact is "allogeneic_transplant_eligible" or "chemosensitive_disease");
    }

    [Fact]
    public void RelapsedRefractory_TransplantFactsUnknown_AreReportedAsMissing()
    {
        var evaluation = TestGuideline.Evaluate((Line, RR), ("weight_kg", 70), ("cns_involvement", false));

        Assert.DoesNotContain("consider-allogeneic-sct", evaluation.CardIds());
        var missing = evaluation.MissingFacts().Select(m => m.Fact).ToList();
        Assert.Contains("allogeneic_transplant_eligible", missing);
        Assert.Contains("chemosensitive_disease", missing);
    }

    [Fact]
    public void RelapsedRefractory_NotChemosensitive_DoesNotAskAboutTransplantEligibility()
    {
        var evaluation = TestGuideline.Evaluate((Line, RR), ("weight_kg", 70), ("cns_involvement", false), ("chemosensitive_disease", false));

        Assert.DoesNotContain(evaluation.MissingFacts(), m => m.Fact == "allogeneic_transplant_eligible");
    }

    [Fact]
    public void OnCrizotinib_SuspectedPneumonitis_StopCrizotinibIsTheFirstCriticalCard()
    {
        var evaluation = TestGuideline.Evaluate((Line, RR), ("weight_kg", 70), ("current_alk_inhibitor", "crizotinib"),
            ("suspected_pneumonitis", true));

        Assert.Equal("stop-crizotinib-pneumonitis", evaluation.CardIds().First());
        Assert.Equal(Content.CardSeverity.Critical, Card(evaluation, "stop-crizotinib-pneumonitis").Severity);
    }

    [Fact]
    public void OnCrizotinib_PneumonitisUnknown_MonitorsAndAsksAboutPneumonitis()
    {
        var evaluation = TestGuideline.Evaluate((Line, RR), ("weight_kg", 70), ("current_alk_inhibitor", "crizotinib"));

        Assert.Contains("monitor-pneumonitis-crizotinib", evaluation.CardIds());
        Assert.Contains(evaluation.MissingFacts(), m => m.Fact == "suspected_pneumonitis");
    }

    [Fact]
    public void LineOfTherapyUnknown_OnlyRituximabWarning_AndAsksForTheLine()
    {
        var evaluation = TestGuideline.Evaluate(("weight_kg", 70));

        Assert.Equal(["avoid-rituximab"], evaluation.CardIds());
        var line = Assert.Single(evaluation.MissingFacts(), m => m.Fact == Line);
        Assert.Contains("R-RR-ALECTINIB", line.RuleIds);
        Assert.Contains("R-FRONTLINE-CHEMO", line.RuleIds);
    }

    [Fact]
    public void Cd20PositiveReported_IsFlaggedAgainstTheGuideline()
    {
        var evaluation = TestGuideline.Evaluate((Line, "frontline"), ("cd20_status", "positive"));

        Assert.Contains("assess-cd20-positive", evaluation.CardIds());
        Assert.Contains("avoid-rituximab", evaluation.CardIds());
    }

    [Fact]
    public void RelapsedRefractory_NoAlkInhibitorAvailable_OffersTheAdditionalOptions()
    {
        var evaluation = TestGuideline.Evaluate((Line, RR), ("weight_kg", 70), ("alectinib_available", false), ("crizotinib_available", false));

        var cards = evaluation.CardIds().ToList();
        Assert.DoesNotContain("rr-alectinib", cards);
        Assert.DoesNotContain("rr-crizotinib", cards);
        Assert.Contains("consider-lenalidomide", cards);
        Assert.Contains("consider-checkpoint-inhibitors", cards);
    }

    [Fact]
    public void Explanation_NamesTheRuleAndTheFactsItRead()
    {
        var evaluation = TestGuideline.Evaluate((Line, RR), ("weight_kg", 70), ("alectinib_available", true));

        var firing = Assert.Single(evaluation.Explain(), f => f.RuleId == "R-RR-ALECTINIB");
        Assert.Contains(("line_of_therapy", "relapsed_refractory"), firing.Facts);
        Assert.Contains(("alectinib_available", "true"), firing.Facts);
        Assert.Contains(("weight_kg", "70"), firing.Facts);
    }

    [Fact]
    public void SeedScenarios_AllPass()
    {
        foreach (var scenario in TestGuideline.Seed.Content.Scenarios)
        {
            var values = TestGuideline.Seed.NewFactVector();
            foreach (var (fact, value) in scenario.Facts)
            {
                values[TestGuideline.Seed.FactIndex[fact]] = TestGuideline.Seed.Encode(fact, value);
            }
            var evaluation = TestGuideline.Seed.Evaluate(values);
            Assert.True(scenario.ExpectedCards.SequenceEqual(evaluation.CardIds()),
                $"{scenario.Id}: expected [{string.Join(", ", scenario.ExpectedCards)}] got [{string.Join(", ", evaluation.CardIds())}]");
            Assert.True(scenario.ExpectedMissingFacts.All(f => evaluation.MissingFacts().Any(m => m.Fact == f)), scenario.Id);
        }
    }
}
