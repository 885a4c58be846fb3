using AlkPlatform.Guidelines.Content;
using AlkPlatform.Guidelines.Tests.Workflow;
using AlkPlatform.Guidelines.Workflow;
using AlkPlatform.Testing.Generators;
using AlkPlatform.Testing.Properties;

namespace AlkPlatform.Guidelines.Tests.Properties;

/// <summary>
/// Generated revision files imported as a draft the way a file would be (parse, then save through the workflow): a broken
/// file is refused with its JSON path and saves nothing; a parsed one is saved exactly as parsed (same canonical hash when
/// read back) or refused by the workflow, and diffing, gating and previewing it never throw. The live release, revision 1
/// and the audit chain are unchanged throughout, and the database reopens with every revision readable.
/// </summary>
[Trait(PropertyRuns.Trait, PropertyRuns.Category)]
public sealed class RevisionImportProperties : IDisposable
{
    private readonly WorkflowWorld _world = new();

    public void Dispose() => _world.Dispose();

    [Fact]
    public void ImportDraft_GeneratedRevisionFiles_SavedExactlyOrRefusedWithAPathAndTheLiveReleaseUntouched()
    {
        const string guideline = WorkflowWorld.Guideline;
        var draft = _world.Workflow.StartDraft(_world.Alice, guideline, 1);
        var live = _world.Workflow.GetLiveRelease(guideline)!;
        var revisionOne = GuidelineJson.ComputeHash(_world.Workflow.GetRevision(guideline, 1).Content);

        PropertyRuns.Check(nameof(ImportDraft_GeneratedRevisionFiles_SavedExactlyOrRefusedWithAPathAndTheLiveReleaseUntouched), RevisionImports.File, file =>
        {
            var before = _world.Workflow.GetRevision(guideline, draft.Number);
            try
            {
                var content = GuidelineJson.Parse(file.Json);
                var saved = Import(content, before);
                if (saved)
                {
                    Assert.Equal(GuidelineJson.ComputeHash(content), GuidelineJson.ComputeHash(_world.Workflow.GetRevision(guideline, draft.Number).Content));
                }
            }
            catch (GuidelineFormatException refused)
            {
                Assert.StartsWith("$", refused.Path, StringComparison.Ordinal);
                Assert.Equal(before.SaveNumber, _world.Workflow.GetRevision(guideline, draft.Number).SaveNumber);
            }

            Assert.Equal(live.ContentHash, _world.Workflow.GetLiveRelease(guideline)!.ContentHash);
            Assert.Equal(revisionOne, GuidelineJson.ComputeHash(_world.Workflow.GetRevision(guideline, 1).Content));
        });

        Assert.True(_world.Workflow.VerifyAuditTrail().IsIntact, "the audit chain no longer verifies");
        var reopened = _world.Reopen();
        Assert.All(reopened.ListRevisions(guideline), r => Assert.NotNull(reopened.GetRevision(guideline, r.Number).Content));
        Assert.Equal(live.ContentHash, reopened.GetLiveRelease(guideline)!.ContentHash);
    }

    /// <summary>Saves <paramref name="content"/> over the draft; true when saved, false when the workflow refused it (leaving the draft as it was).</summary>
    private bool Import(GuidelineContent content, Revision before)
    {
        try
        {
            _world.Workflow.SaveDraft(_world.Alice, before.GuidelineId, before.Number, content, before.SaveNumber);
        }
        catch (WorkflowException refused)
        {
            Assert.True(refused.Code == WorkflowErrorCode.GuidelineMismatch && content.GuidelineId != before.GuidelineId, $"refused: {refused.Message}");
            Assert.Equal(before.SaveNumber, _world.Workflow.GetRevision(before.GuidelineId, before.Number).SaveNumber);
            return false;
        }
        // What the editor, the submit gate, the publish gate and the impact page do with a saved draft.
        Assert.All(ContentGates.CheckSubmit(content), e => Assert.False(string.IsNullOrEmpty(e.Path)));
        Assert.All(ContentGates.CheckScenarios(content), e => Assert.False(string.IsNullOrEmpty(e.Path)));
        _ = _world.Workflow.DiffAgainstLive(before.GuidelineId, before.Number).Describe();
        try
        {
            _ = _world.Workflow.PreviewImpact(before.GuidelineId, before.Number);
        }
        catch (GateFailedException refused)
        {
            Assert.NotEmpty(refused.Problems);
        }
        return true;
    }
}
