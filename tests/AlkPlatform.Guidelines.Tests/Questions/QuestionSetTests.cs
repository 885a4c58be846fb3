using System.Security.Cryptography;
using System.Text.Json;
using AlkPlatform.Guidelines.Content;
using AlkPlatform.Guidelines.Questions;
using AlkPlatform.Guidelines.Workflow;

namespace AlkPlatform.Guidelines.Tests.Questions;

/// <summary>
/// The seed's labelled question set asked of the seed: the targets must hold on the frozen part (never used for tuning the
/// lexicon), and the set keeps the shape the targets are measured on.
/// </summary>
public sealed class QuestionSetTests
{
    private static readonly GuidelineContent Seed = SeedGuideline.Load();
    private static readonly Lazy<QuestionSetRun> Run = new(() => QuestionSetRun.Of(Seed));

    [Fact]
    public void FrozenPart_MeetsEveryTarget()
    {
        var frozen = Run.Value.Frozen;
        TestContext.Current.TestOutputHelper?.WriteLine("frozen: " + frozen.Describe());
        TestContext.Current.TestOutputHelper?.WriteLine("tuning: " + Run.Value.Tuning.Describe());

        Assert.True(frozen.OutOfScopeRefusedRate >= 0.98, frozen.Describe());
        Assert.Equal(frozen.NamedAgents, frozen.NamedAgentsRefused);
        Assert.True(frozen.WrongRate <= 0.01, frozen.Describe());
        Assert.True(frozen.InScopeAnsweredRate >= 0.90, frozen.Describe());
        Assert.True(frozen.TopThreeRate >= 0.95, frozen.Describe());
        Assert.True(frozen.TermNamedRate >= 0.95, frozen.Describe());
        Assert.Empty(QuestionSetTargets.Missed(frozen));
    }

    [Fact]
    public void WholeSet_MeetsEveryTarget_SoTheSeedPassesThePublishGate()
    {
        Assert.Empty(QuestionSetTargets.Missed(Run.Value.All));
        Assert.Empty(ContentGates.CheckQuestions(Seed));
    }

    [Fact]
    public void FrozenPart_IsUnchanged_SoItsFiguresMeasureWhatTuningNeverSaw()
    {
        // Tuning must not touch the frozen questions. To replace them, retire the whole part into tuning, write a new one
        // before looking at any result, measure it once, and say so in the change.
        var frozen = JsonSerializer.SerializeToUtf8Bytes(Seed.Questions!.Where(q => q.Frozen).ToList(), GuidelineJson.Options);

        Assert.Equal("5c1536660fa9a1e3edea65caa1142b03e47d94104e676bad86d2d5017f49ef9b", Convert.ToHexStringLower(SHA256.HashData(frozen)));
    }

    [Fact]
    public void Set_HasAtLeastFiveInScopeQuestionsPerStatement_ThreeOfThemFrozen()
    {
        var inScope = Seed.Questions!.Where(q => q.Kind == QuestionKind.InScope).ToList();
        foreach (var statement in Seed.AllStatements())
        {
            var about = inScope.Where(q => q.Acceptable![0] == statement.Id).ToList();
            Assert.True(about.Count >= 5, $"{statement.Id}: {about.Count} in-scope questions");
            Assert.True(about.Count(q => q.Frozen) >= 3, $"{statement.Id}: {about.Count(q => q.Frozen)} frozen");
        }
    }

    [Fact]
    public void Set_CoversEveryKindOfOutOfScopeQuestion_AndNearMisses()
    {
        var frozen = Seed.Questions!.Where(q => q.Frozen).ToList();

        Assert.Equal(
            ["alk-inhibitor", "interaction", "lymphoma-therapy", "non-medical", "organ-impairment", "other-disease", "pregnancy"],
            frozen.Where(q => q.Kind == QuestionKind.OutOfScope).Select(q => q.Topic!).Distinct().Order().Intersect(
                ["alk-inhibitor", "interaction", "lymphoma-therapy", "non-medical", "organ-impairment", "other-disease", "pregnancy"]));
        Assert.True(frozen.Count(q => q.Kind == QuestionKind.NearMiss) >= 10);
        Assert.True(frozen.Count(q => q.NamesAgent) >= 10);
    }

    [Fact]
    public void Check_AnAcceptableStatementThatDoesNotExist_IsRefused()
    {
        var broken = Seed with
        {
            Questions = [new LabelledQuestion { Id = "q1", Text = "What dose of alectinib?", Kind = QuestionKind.InScope, Acceptable = ["no-such-statement"] }],
        };

        Assert.Equal("question 'q1' accepts statement 'no-such-statement', which does not exist", Assert.Single(QuestionSetCheck.Check(broken)).Reason);
    }

    [Fact]
    public void Result_AnsweringAnOutOfScopeQuestion_IsWrongAndMissesTheTargets()
    {
        // A lexicon that made "glofitamab" generic would answer a question about it with whatever matches "dose".
        var careless = Seed with { Lexicon = Seed.Lexicon! with { GenericWords = [.. Seed.Lexicon.GenericWords, "glofitamab"] } };
        var run = QuestionSetRun.Of(careless);

        var glofitamab = run.Results.Single(r => r.Question.Text == "What dose of glofitamab is recommended?");
        Assert.True(glofitamab.Wrong);
        Assert.Contains(QuestionSetTargets.Missed(run.All), m => m.StartsWith("questions naming an agent", StringComparison.Ordinal));
    }
}
