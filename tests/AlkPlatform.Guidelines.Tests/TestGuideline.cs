using System.Text.Json;
using AlkPlatform.Guidelines.Content;
using AlkPlatform.Guidelines.Questions;
using AlkPlatform.Guidelines.Rules;

namespace AlkPlatform.Guidelines.Tests;

/// <summary>The seed guideline compiled once for the tests (rules and Ask), and a way to describe a patient by fact name.</summary>
internal static class TestGuideline
{
    public static readonly CompiledGuideline Seed = CompiledGuideline.Compile(SeedGuideline.Load());

    /// <summary>Ask over the seed's approved statements, built once: every test only reads it.</summary>
    public static readonly QuestionAnswerer Answerer = new(SeedGuideline.Load());

    public static double[] Facts(this CompiledGuideline guideline, params (string Fact, object Value)[] facts)
    {
        var values = guideline.NewFactVector();
        foreach (var (fact, value) in facts)
        {
            values[guideline.FactIndex[fact]] = guideline.Encode(fact, JsonSerializer.SerializeToElement(value));
        }
        return values;
    }

    public static Evaluation Evaluate(params (string Fact, object Value)[] facts) => Seed.Evaluate(Seed.Facts(facts));
}
