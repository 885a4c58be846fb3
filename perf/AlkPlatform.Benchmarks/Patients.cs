using AlkPlatform.Guidelines.Content;
using AlkPlatform.Guidelines.Rules;

namespace AlkPlatform.Benchmarks;

/// <summary>The seed guideline, its doubled variant, and a spread of patients: the guideline's own canonical scenarios.</summary>
public static class Patients
{
    public static GuidelineContent Seed { get; } = SeedGuideline.Load();

    /// <summary>Every rule twice: the copy has new rule and card ids and the same conditions, cards and doses.</summary>
    public static GuidelineContent Doubled { get; } = Seed with
    {
        Rules = [.. Seed.Rules, .. Seed.Rules.Select(rule => rule with
        {
            Id = rule.Id + "-copy",
            Card = rule.Card with { Id = rule.Card.Id + "-copy" },
        })],
        Scenarios = [],
    };

    public static double[][] Spread(CompiledGuideline guideline)
    {
        var patients = new List<double[]>();
        foreach (var scenario in Seed.Scenarios)
        {
            var values = guideline.NewFactVector();
            foreach (var (fact, value) in scenario.Facts)
            {
                values[guideline.FactIndex[fact]] = guideline.Encode(fact, value);
            }
            patients.Add(values);
        }
        patients.Add(guideline.NewFactVector());
        return [.. patients];
    }
}
