using AlkPlatform.Guidelines.Content;
using AlkPlatform.Guidelines.Workflow;

namespace AlkPlatform.Guidelines.Tests.Workflow;

public class DraftingTests
{
    [Fact]
    public void SaveDraft_WithStaleSaveNumber_FailsNamingWhoSavedAndWhatChanged()
    {
        using var world = new WorkflowWorld();
        var opened = world.Workflow.StartDraft(world.Alice, WorkflowWorld.Guideline, 1);
        var alicesCopy = opened;
        var bobsCopy = world.Workflow.GetRevision(WorkflowWorld.Guideline, opened.Number);
        world.Tick();
        world.Workflow.SaveDraft(world.Alice, WorkflowWorld.Guideline, opened.Number,
            WorkflowWorld.EditStatement(alicesCopy.Content, "rr-alectinib-dose", t => t.Replace("300 mg", "300 mg (two 150 mg capsules)", StringComparison.Ordinal)),
            alicesCopy.SaveNumber);
        world.Tick();

        var conflict = Assert.Throws<EditConflictException>(() => world.Workflow.SaveDraft(world.Bob, WorkflowWorld.Guideline, opened.Number,
            bobsCopy.Content with { ChangeSummary = "Bob's summary" }, bobsCopy.SaveNumber));

        Assert.Equal(WorkflowErrorCode.EditConflict, conflict.Code);
        Assert.Equal("Alice Author", conflict.SavedByName);
        Assert.Equal(["statement 'rr-alectinib-dose' modified"], conflict.ChangesSince);
        Assert.Contains("Alice Author", conflict.Message, StringComparison.Ordinal);
        var stored = world.Workflow.GetRevision(WorkflowWorld.Guideline, opened.Number);
        Assert.Equal(2, stored.SaveNumber);
        Assert.Contains("two 150 mg capsules", stored.Content.AllStatements().Single(s => s.Id == "rr-alectinib-dose").Text, StringComparison.Ordinal);
        Assert.NotEqual("Bob's summary", stored.Content.ChangeSummary);
    }

    [Fact]
    public void SaveDraft_AfterReloading_Succeeds()
    {
        using var world = new WorkflowWorld();
        var draft = world.Draft();

        var saved = world.Workflow.SaveDraft(world.Bob, WorkflowWorld.Guideline, draft.Number, draft.Content with { ChangeSummary = "Bob" }, draft.SaveNumber);

        Assert.Equal(draft.SaveNumber + 1, saved.SaveNumber);
        Assert.Equal("Bob", saved.Content.ChangeSummary);
        Assert.Equal("Bob Author", saved.LastSavedByName);
    }

    [Fact]
    public void Submit_WithStaleSaveNumber_IsRejected()
    {
        using var world = new WorkflowWorld();
        var draft = world.Draft();
        world.Workflow.SaveDraft(world.Bob, WorkflowWorld.Guideline, draft.Number, draft.Content with { ChangeSummary = "Bob" }, draft.SaveNumber);

        var conflict = Assert.Throws<EditConflictException>(() => world.Workflow.Submit(world.Alice, WorkflowWorld.Guideline, draft.Number, draft.SaveNumber));

        Assert.Equal("Bob Author", conflict.SavedByName);
        Assert.Contains("changeSummary changed", conflict.ChangesSince);
        Assert.Equal(RevisionState.Draft, world.Workflow.GetRevision(WorkflowWorld.Guideline, draft.Number).State);
    }

    [Fact]
    public void SaveDraft_ContentOfAnotherGuideline_IsRejected()
    {
        using var world = new WorkflowWorld();
        var draft = world.Draft();

        var refused = Assert.Throws<WorkflowException>(() => world.Workflow.SaveDraft(world.Alice, WorkflowWorld.Guideline, draft.Number, draft.Content with { GuidelineId = "other" }, draft.SaveNumber));

        Assert.Equal(WorkflowErrorCode.GuidelineMismatch, refused.Code);
    }

    [Fact]
    public void StartDraft_Empty_HasNoStatementsAndCannotBeSubmitted()
    {
        using var world = new WorkflowWorld();

        var draft = world.Workflow.StartDraft(world.Alice, WorkflowWorld.Guideline, fromRevision: null);
        var refused = Assert.Throws<GateFailedException>(() => world.Workflow.Submit(world.Alice, WorkflowWorld.Guideline, draft.Number, draft.SaveNumber));

        Assert.Empty(draft.Content.AllStatements());
        Assert.Equal(WorkflowErrorCode.ValidationFailed, refused.Code);
        Assert.Contains(refused.Problems, p => p.Path == "question");
    }

    [Fact]
    public void CreateGuideline_New_StartsEmptyDraftAsRevisionOne()
    {
        using var world = new WorkflowWorld();

        var draft = world.Workflow.CreateGuideline(world.Alice, "alk-alcl", "ALK inhibitors in ALK+ ALCL");
        var duplicate = Assert.Throws<WorkflowException>(() => world.Workflow.CreateGuideline(world.Alice, "alk-alcl", "Again"));

        Assert.Equal(1, draft.Number);
        Assert.Equal(RevisionState.Draft, draft.State);
        Assert.Equal(WorkflowErrorCode.AlreadyExists, duplicate.Code);
        Assert.Contains(world.Workflow.ListGuidelines(), g => g.GuidelineId == "alk-alcl" && g.LiveRevision is null);
    }

    [Fact]
    public void Submit_StatementCitingUnknownReference_IsRejectedWithItsPath()
    {
        using var world = new WorkflowWorld();
        var draft = world.Draft(c => c with
        {
            Sections = [.. c.Sections.Select(s => s with { Statements = [.. s.Statements.Select(st => st.Id == "rr-alectinib-dose" ? st with { Citations = [2, 9] } : st)] })],
        });

        var refused = Assert.Throws<GateFailedException>(() => world.Workflow.Submit(world.Alice, WorkflowWorld.Guideline, draft.Number, draft.SaveNumber));

        Assert.Contains(refused.Problems, p => p.Reason.Contains("cites reference 9, which is not in the reference list", StringComparison.Ordinal));
        Assert.Equal(RevisionState.Draft, world.Workflow.GetRevision(WorkflowWorld.Guideline, draft.Number).State);
    }

    [Fact]
    public void Submit_CardSummaryOver140Characters_IsRejected()
    {
        using var world = new WorkflowWorld();
        var draft = world.Draft(c => c with { Rules = [.. c.Rules.Select(r => r.Id == "R-LENALIDOMIDE" ? r with { Card = r.Card with { Summary = new string('x', 141) } } : r)] });

        var refused = Assert.Throws<GateFailedException>(() => world.Workflow.Submit(world.Alice, WorkflowWorld.Guideline, draft.Number, draft.SaveNumber));

        Assert.Contains(refused.Problems, p => p.Reason == "is 141 characters; the limit is 140");
    }

    [Fact]
    public void Submit_RuleOnUndeclaredFact_IsRejected()
    {
        using var world = new WorkflowWorld();
        var draft = world.Draft(c => c with
        {
            Rules = [.. c.Rules.Select(r => r.Id == "R-LENALIDOMIDE" ? r with { When = new Condition { Fact = "ecog", Op = ComparisonOperator.Known } } : r)],
        });

        var refused = Assert.Throws<GateFailedException>(() => world.Workflow.Submit(world.Alice, WorkflowWorld.Guideline, draft.Number, draft.SaveNumber));

        Assert.Contains(refused.Problems, p => p.Reason == "unknown fact 'ecog'");
    }

    [Fact]
    public void Submit_ScriptInStatement_IsRejectedAsUnsanitisable()
    {
        using var world = new WorkflowWorld();
        var draft = world.Draft(c => WorkflowWorld.EditStatement(c, "rr-alectinib-dose", t => t + " <script>alert(1)</script>"));

        var refused = Assert.Throws<GateFailedException>(() => world.Workflow.Submit(world.Alice, WorkflowWorld.Guideline, draft.Number, draft.SaveNumber));

        var problem = Assert.Single(refused.Problems);
        Assert.EndsWith(".text", problem.Path, StringComparison.Ordinal);
        Assert.Contains("raw HTML", problem.Reason, StringComparison.Ordinal);
    }
}
