using AlkPlatform.Guidelines.Content;
using AlkPlatform.Guidelines.Workflow;

namespace AlkPlatform.Guidelines.Tests.Workflow;

public class DraftStructureTests
{
    private static readonly GuidelineContent Seed = SeedGuideline.Load();

    [Fact]
    public void AddStatement_ToSection_AppendsEmptyStatementWithFreshIdThatFailsTheSubmitGate()
    {
        var (content, id) = DraftStructure.AddStatement(Seed, "algorithm-relapsed");
        var (again, second) = DraftStructure.AddStatement(content, "algorithm-relapsed");

        Assert.Equal("algorithm-relapsed-statement-1", id);
        Assert.Equal("algorithm-relapsed-statement-2", second);
        Assert.Equal(id, content.Sections.Single(s => s.Id == "algorithm-relapsed").Statements[^1].Id);
        Assert.Equal(Seed.AllStatements().Count() + 2, again.AllStatements().Count());
        Assert.Contains(ContentGates.CheckSubmit(content), p => p.Reason == $"statement '{id}' cites no reference");
    }

    [Fact]
    public void RemoveStatement_NotCitedByAnyCard_RemovesIt()
    {
        var content = DraftStructure.RemoveStatement(Seed, "alectinib-tolerability");

        Assert.DoesNotContain(content.AllStatements(), s => s.Id == "alectinib-tolerability");
        Assert.Empty(GuidelineValidator.Validate(content));
    }

    [Fact]
    public void RemoveStatement_CitedByARuleCard_IsRefusedWithTheValidatorsProblem()
    {
        var refused = Assert.Throws<GateFailedException>(() => DraftStructure.RemoveStatement(Seed, "rr-alectinib-dose"));

        Assert.Equal(WorkflowErrorCode.ValidationFailed, refused.Code);
        var problem = Assert.Single(refused.Problems);
        Assert.StartsWith("rules[", problem.Path, StringComparison.Ordinal);
        Assert.Equal("rule 'R-RR-ALECTINIB': statement 'rr-alectinib-dose' does not exist", problem.Reason);
    }

    [Fact]
    public void AddSection_WithTitle_AppendsItWithIdFromTitle_AndRefusesAnEmptyTitle()
    {
        var (content, id) = DraftStructure.AddSection(Seed, "Monitoring on treatment", 3);
        var (_, again) = DraftStructure.AddSection(content, "Monitoring on treatment", 2);

        Assert.Equal("monitoring-on-treatment", id);
        Assert.Equal("monitoring-on-treatment-1", again);
        Assert.Equal("Monitoring on treatment", content.Sections[^1].Title);
        Assert.Equal(3, content.Sections[^1].Level);
        Assert.Equal(WorkflowErrorCode.ValidationFailed, Assert.Throws<GateFailedException>(() => DraftStructure.AddSection(Seed, " ", 2)).Code);
    }

    [Fact]
    public void RemoveSection_WhoseStatementsCardsRestOn_IsRefused_ButAnUncitedSectionGoes()
    {
        var refused = Assert.Throws<GateFailedException>(() => DraftStructure.RemoveSection(Seed, "algorithm-relapsed"));
        var content = DraftStructure.RemoveSection(Seed, "summary");

        Assert.Contains(refused.Problems, p => p.Reason == "rule 'R-RR-ALECTINIB': statement 'rr-alectinib-dose' does not exist");
        Assert.DoesNotContain(content.Sections, s => s.Id == "summary");
        Assert.Empty(GuidelineValidator.Validate(content));
    }

    [Fact]
    public void RemoveStatement_Unknown_IsNotFound() =>
        Assert.Equal(WorkflowErrorCode.NotFound, Assert.Throws<WorkflowException>(() => DraftStructure.RemoveStatement(Seed, "no-such-statement")).Code);
}
