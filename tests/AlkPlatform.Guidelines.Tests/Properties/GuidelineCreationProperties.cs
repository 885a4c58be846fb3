using System.Text.RegularExpressions;
using AlkPlatform.Guidelines.Tests.Workflow;
using AlkPlatform.Guidelines.Workflow;
using AlkPlatform.Testing.Generators;
using AlkPlatform.Testing.Properties;
using CsCheck;

namespace AlkPlatform.Guidelines.Tests.Properties;

/// <summary>
/// Generated guideline ids and titles for a new guideline: created exactly when the id is what services can be asked for
/// (1 to 64 lowercase letters, digits and inner hyphens) and new, refused as ValidationFailed or AlreadyExists otherwise;
/// the guidelines already there are never touched.
/// </summary>
[Trait(PropertyRuns.Trait, PropertyRuns.Category)]
public sealed partial class GuidelineCreationProperties : IDisposable
{
    private readonly WorkflowWorld _world = new();

    [GeneratedRegex(@"\A[a-z0-9]+(-[a-z0-9]+)*\z")]
    private static partial Regex ServableId();

    public void Dispose() => _world.Dispose();

    [Fact]
    public void CreateGuideline_GeneratedIdsAndTitles_CreatedOnlyWhenServableAndNew()
    {
        var id = Gen.Frequency(
            (3, GeneratedText.Identifier(64)),
            (2, GeneratedText.Tainted(GeneratedText.Identifier(20))),
            (1, GeneratedText.Around(64, 300).Select(s => new string('a', s.Length))),
            (1, Gen.Const(WorkflowWorld.Guideline)),
            (1, GeneratedText.Any(100)));
        var title = Gen.Frequency((4, Gen.Const("A new guideline")), (1, GeneratedText.Any(200)));
        var seedHash = _world.Workflow.GetLiveRelease(WorkflowWorld.Guideline)!.ContentHash;

        PropertyRuns.Check(nameof(CreateGuideline_GeneratedIdsAndTitles_CreatedOnlyWhenServableAndNew), Gen.Select(id, title), c =>
        {
            var existed = _world.Workflow.ListGuidelines().Any(g => g.GuidelineId == c.Item1);
            var valid = c.Item1.Length <= 64 && ServableId().IsMatch(c.Item1) && !string.IsNullOrWhiteSpace(c.Item2);
            try
            {
                var created = _world.Workflow.CreateGuideline(_world.Alice, c.Item1, c.Item2);
                Assert.True(valid && !existed, $"created '{c.Item1}'");
                Assert.Equal((c.Item1, 1, RevisionState.Draft), (created.GuidelineId, created.Number, created.State));
            }
            catch (WorkflowException refused)
            {
                Assert.Equal(valid ? WorkflowErrorCode.AlreadyExists : WorkflowErrorCode.ValidationFailed, refused.Code);
                Assert.Equal(existed, _world.Workflow.ListGuidelines().Any(g => g.GuidelineId == c.Item1));
            }
            Assert.Equal(seedHash, _world.Workflow.GetLiveRelease(WorkflowWorld.Guideline)!.ContentHash);
        });
    }

    /// <summary>The cases the property shrank to: the id pattern ended in $, which also matches before a final newline, and had no length limit.</summary>
    [Theory]
    [InlineData("qg1p28derw\n")]
    [InlineData("alk-alcl\n")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public void CreateGuideline_IdEndingInANewlineOrOver64Characters_IsRefused(string id)
    {
        var refused = Assert.Throws<WorkflowException>(() => _world.Workflow.CreateGuideline(_world.Alice, id, "A new guideline"));

        Assert.Equal(WorkflowErrorCode.ValidationFailed, refused.Code);
        Assert.DoesNotContain(_world.Workflow.ListGuidelines(), g => g.GuidelineId == id);
    }
}
