using AlkPlatform.Guidelines.Content;
using AlkPlatform.Guidelines.Workflow;

namespace AlkPlatform.Guidelines.Tests.Workflow;

/// <summary>
/// The lexicon and question set in the workflow: a change that breaks Ask's targets cannot be published, and the diff, the
/// impact preview and the audit trail show what a lexicon change does.
/// </summary>
public sealed class QuestionGateTests
{
    /// <summary>The seed with "posology" added to the dose concept: a true equivalent the seed's lexicon lacks.</summary>
    private static GuidelineContent WithPosology(GuidelineContent content) => content with
    {
        Lexicon = content.Lexicon! with
        {
            Concepts = [.. content.Lexicon.Concepts.Select(c => c.Id == "dose" ? c with { Terms = [.. c.Terms, "posology"] } : c)],
        },
    };

    /// <summary>The seed without its generic words: every "what", "is" and "the" becomes an unknown term.</summary>
    private static GuidelineContent WithoutGenericWords(GuidelineContent content) =>
        content with { Lexicon = content.Lexicon! with { GenericWords = [] } };

    [Fact]
    public void Publish_ALexiconChangeThatBreaksTheQuestionSet_IsRefusedNamingTheMissedTargets()
    {
        using var world = new WorkflowWorld();
        var approved = world.Approved(WithoutGenericWords);

        var refused = Assert.Throws<GateFailedException>(() => world.Workflow.Publish(world.Paul, WorkflowWorld.Guideline, approved.Number, "Lexicon tidy-up."));

        Assert.Equal(WorkflowErrorCode.QuestionSetFailed, refused.Code);
        Assert.Contains(refused.Problems, p => p.Reason.StartsWith("frozen part: in-scope questions answered:", StringComparison.Ordinal));
        Assert.Equal(1, world.Workflow.GetLiveRelease(WorkflowWorld.Guideline)!.RevisionNumber);
    }

    [Fact]
    public void Publish_ALexiconChangeThatKeepsTheTargets_GoesLive()
    {
        using var world = new WorkflowWorld();
        var approved = world.Approved(WithPosology);

        var release = world.Workflow.Publish(world.Paul, WorkflowWorld.Guideline, approved.Number, "Adds 'posology' as an equivalent of dose.");

        Assert.Equal(approved.Number, release.RevisionNumber);
        Assert.Contains("posology", release.Verify().Lexicon!.Concepts.Single(c => c.Id == "dose").Terms);
    }

    [Fact]
    public void PreviewImpact_LexiconChange_ListsTheQuestionsWhoseOutcomeChanges()
    {
        using var world = new WorkflowWorld();
        var draft = world.Draft(c => WithPosology(c) with
        {
            Questions = [.. c.Questions!, new LabelledQuestion { Id = "q-posology", Text = "What is the posology of alectinib?", Kind = QuestionKind.InScope, Acceptable = ["rr-alectinib-dose"] }],
        });

        var impact = world.Workflow.PreviewImpact(WorkflowWorld.Guideline, draft.Number).Questions;

        var change = Assert.Single(impact.Changed);
        Assert.Equal("q-posology", change.QuestionId);
        Assert.Equal("refused, not covered: 'posology'", change.Live);
        Assert.StartsWith("answered: rr-alectinib-dose", change.Candidate, StringComparison.Ordinal);
        Assert.False(change.LivePassed);
        Assert.True(change.CandidatePassed);
        Assert.Equal(SeedGuideline.Load().Questions!.Count + 1, impact.QuestionsAsked);
    }

    [Fact]
    public void DiffAndAudit_LexiconChange_AreShownAsSuch()
    {
        using var world = new WorkflowWorld();
        var draft = world.Draft(WithPosology);

        var diff = world.Workflow.DiffAgainstLive(WorkflowWorld.Guideline, draft.Number);

        Assert.Equal(["lexicon concept 'dose' modified"], diff.Describe());
        Assert.Contains(diff.Lexicon.Single().Lines, p => p.Kind == Diffs.DiffPieceKind.Inserted && p.Text.Contains("\"posology\"", StringComparison.Ordinal));
        Assert.Contains(world.Workflow.GetAuditTrail(WorkflowWorld.Guideline),
            e => e.Action == AuditActions.DraftSaved && e.RevisionNumber == draft.Number && e.Reason == "lexicon concept 'dose' modified");
    }

    [Fact]
    public void Submit_ALexiconWithAPhraseInTwoConcepts_IsRefused()
    {
        using var world = new WorkflowWorld();
        var draft = world.Draft(c => c with
        {
            Lexicon = c.Lexicon! with { Concepts = [.. c.Lexicon.Concepts, new Concept { Id = "head", Terms = ["brain"] }] },
        });

        var refused = Assert.Throws<GateFailedException>(() => world.Workflow.Submit(world.Alice, WorkflowWorld.Guideline, draft.Number, draft.SaveNumber));

        Assert.Contains(refused.Problems, p => p.Reason == "'brain' is a term of both 'cns' and 'head'; a phrase belongs to one concept");
    }
}
