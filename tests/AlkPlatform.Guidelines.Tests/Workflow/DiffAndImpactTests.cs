using AlkPlatform.Guidelines.Content;
using AlkPlatform.Guidelines.Diffs;
using AlkPlatform.Guidelines.Workflow;

namespace AlkPlatform.Guidelines.Tests.Workflow;

public class DiffAndImpactTests
{
    [Fact]
    public void Diff_ThresholdChange_ShowsStatementWordsRuleAndMetadata()
    {
        using var world = new WorkflowWorld();
        var draft = world.Draft();

        var diff = world.Workflow.Diff(WorkflowWorld.Guideline, 1, draft.Number);

        var statement = Assert.Single(diff.Statements);
        Assert.Equal("rr-alectinib-dose", statement.StatementId);
        Assert.Equal(ChangeKind.Modified, statement.Kind);
        Assert.Contains(new DiffPiece(DiffPieceKind.Deleted, "<35"), statement.Words);
        Assert.Contains(new DiffPiece(DiffPieceKind.Inserted, "<40"), statement.Words);
        Assert.Equal(
            "Dose alectinib at 300 mg orally twice daily (reduce to 150 mg twice daily for patients <40 kg).",
            string.Concat(statement.Words.Where(p => p.Kind != DiffPieceKind.Deleted).Select(p => p.Text)));
        Assert.Equal("R-RR-ALECTINIB", Assert.Single(diff.Rules).Id);
        Assert.Contains(diff.Rules[0].Lines, p => p.Kind == DiffPieceKind.Inserted && p.Text.Contains("40", StringComparison.Ordinal));
        Assert.Equal(["versionLabel", "changeSummary"], diff.Metadata.Select(m => m.Field));
        Assert.Empty(diff.References);
        Assert.Empty(diff.Scenarios);
    }

    [Fact]
    public void Diff_AddedReferenceAndRemovedScenario_AreListed()
    {
        var seed = SeedGuideline.Load();
        var changed = seed with
        {
            References = [.. seed.References, new Reference { Number = 6, Text = "New study, 2026." }],
            Scenarios = [.. seed.Scenarios.Where(s => s.Id != "frontline")],
        };

        var diff = RevisionDiffer.Compare(seed, changed);

        Assert.Equal(("6", ChangeKind.Added), (diff.References.Single().Id, diff.References.Single().Kind));
        Assert.Equal(("frontline", ChangeKind.Removed), (diff.Scenarios.Single().Id, diff.Scenarios.Single().Kind));
        Assert.Equal(["reference 6 added", "scenario 'frontline' removed"], diff.Describe());
    }

    [Fact]
    public void Diff_SameContent_IsEmpty()
    {
        var diff = RevisionDiffer.Compare(SeedGuideline.Load(), SeedGuideline.Load());

        Assert.True(diff.IsEmpty);
        Assert.Empty(diff.Describe());
    }

    [Fact]
    public void PreviewImpact_ThresholdTo40_ListsExactlyThePatientsWhoseDoseHalves()
    {
        using var world = new WorkflowWorld();
        var draft = world.Draft();

        var report = world.Workflow.PreviewImpact(WorkflowWorld.Guideline, draft.Number);

        Assert.Equal(["rr-weight-35kg", "rr-weight-36kg", "rr-weight-38kg"], report.Changed.Select(c => c.Patient.Id));
        Assert.All(report.Changed, c =>
        {
            Assert.Equal(["rr-alectinib: dose 300 mg twice daily → 150 mg twice daily"], c.CardsChanged);
            Assert.Empty(c.CardsAdded);
            Assert.Empty(c.CardsRemoved);
        });
        Assert.Equal(ImpactPatients.Table.Count + SeedGuideline.Load().Scenarios.Count, report.PatientsEvaluated);
    }

    [Fact]
    public void PreviewImpact_TransplantRuleWithoutEligibilityCheck_ListsPatientsNowAskedAboutChemosensitivity()
    {
        var seed = SeedGuideline.Load();
        // The board drops the eligibility condition: patients with unknown chemosensitivity are now asked for it.
        var candidate = seed with
        {
            Rules = [.. seed.Rules.Select(r => r.Id == "R-ALLOGENEIC-SCT"
                ? r with { When = new Condition { Fact = "chemosensitive_disease", Op = ComparisonOperator.Eq, Value = System.Text.Json.JsonSerializer.SerializeToElement(true) } }
                : r)],
        };

        var report = ImpactPreview.Compare(seed, candidate);

        var frontline = Assert.Single(report.Changed, c => c.Patient.Id == "scenario:frontline");
        Assert.Contains("chemosensitive_disease", frontline.MissingFactsAdded);
        Assert.DoesNotContain(report.Changed, c => c.Patient.Id == "rr-transplant-chemoresistant");
        Assert.DoesNotContain(report.Changed, c => c.Patient.Id == "scenario:rr-transplant-chemosensitive");
        Assert.All(report.Changed, c => Assert.Empty(c.CardsRemoved));
    }

    [Fact]
    public void ImpactPatients_Table_CoversFoundationSituations()
    {
        var ids = ImpactPatients.Table.Select(p => p.Id).ToHashSet();

        Assert.True(ImpactPatients.Table.Count >= 12);
        Assert.Equal(ImpactPatients.Table.Count, ids.Count);
        Assert.Subset(ids, new HashSet<string>
        {
            "frontline-no-cns", "rr-70kg-no-cns", "rr-70kg-cns", "rr-weight-unknown", "rr-weight-34.9kg", "rr-weight-35kg",
            "rr-alectinib-unavailable", "rr-transplant-chemosensitive", "rr-pneumonitis-on-crizotinib",
        });
        var compiled = Rules.CompiledGuideline.Compile(SeedGuideline.Load());
        Assert.All(ImpactPatients.Table, p => Assert.All(p.Facts.Keys, f => Assert.True(compiled.FactIndex.ContainsKey(f), f)));
    }
}
