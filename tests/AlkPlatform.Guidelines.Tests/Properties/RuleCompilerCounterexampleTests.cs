using System.Text.Json.Nodes;
using AlkPlatform.Guidelines.Content;
using AlkPlatform.Guidelines.Rules;

namespace AlkPlatform.Guidelines.Tests.Properties;

/// <summary>
/// The cases the rule-compiler property shrank to, pinned: each parsed or validated and then broke something later
/// (hashing, validation itself, evaluation), and is now refused at the path where it is wrong.
/// </summary>
public sealed class RuleCompilerCounterexampleTests
{
    /// <summary>The seed revision as JSON with one edit, as an import or a hand-edited file would bring it.</summary>
    private static string SeedWith(Action<JsonObject> edit)
    {
        var content = JsonNode.Parse(SeedGuideline.ReadJson())!.AsObject();
        edit(content);
        return content.ToJsonString();
    }

    private static JsonObject FirstRule(JsonObject content) => content["rules"]![0]!.AsObject();

    [Fact]
    public void Parse_FactBoundBeyondADouble_IsRefusedWithItsPath()
    {
        // Read as infinity, it validated and compiled, but no canonical form (so no hash, no save) could be written.
        var json = SeedWith(c => c["facts"]![2]!["maxInclusive"] = JsonNode.Parse("1e400"));

        var refused = Assert.Throws<GuidelineFormatException>(() => GuidelineJson.Parse(json));

        Assert.Equal("$.facts[2].maxInclusive", refused.Path);
    }

    [Fact]
    public void Parse_NullInsideAConditionList_IsRefusedWithItsPath()
    {
        // It parsed, then the validator itself threw NullReferenceException on it.
        var json = SeedWith(c => FirstRule(c)["when"] = JsonNode.Parse("""{"any":[{"fact":"cns_involvement","op":"Eq","value":true},null]}"""));

        var refused = Assert.Throws<GuidelineFormatException>(() => GuidelineJson.Parse(json));

        Assert.StartsWith("$.rules[0].when.any", refused.Path, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("facts[0].type", "type", "4")]
    [InlineData("facts[0].type", "type", "\"Number, Enum\"")]
    public void Validate_UndeclaredFactType_NamesIt(string path, string property, string value)
    {
        var content = GuidelineJson.Parse(SeedWith(c => c["facts"]![0]![property] = JsonNode.Parse(value)));

        Assert.Contains(GuidelineValidator.Validate(content), e => e.Path == path);
        Assert.Throws<GuidelineValidationException>(() => CompiledGuideline.Compile(content));
    }

    [Theory]
    [InlineData("rules[0].card.severity", "severity", "\"Warning, Critical\"")]
    [InlineData("rules[0].card.kind", "kind", "9")]
    public void Validate_UndeclaredCardKindOrSeverity_NamesIt(string path, string property, string value)
    {
        var content = GuidelineJson.Parse(SeedWith(c => FirstRule(c)["card"]![property] = JsonNode.Parse(value)));

        Assert.Equal(path, Assert.Single(GuidelineValidator.Validate(content)).Path);
    }

    [Theory]
    [InlineData("""{"fact":"weight_kg","op":9,"value":35}""", "rules[0].when.op")]
    [InlineData("""{"fact":"weight_kg","op":"Lt","value":35,"whenUnknown":"True, False"}""", "rules[0].when.whenUnknown")]
    [InlineData("""{"fact":"weight_kg","op":"Lt","value":1e400}""", "rules[0].when.value")]
    public void Validate_UndeclaredOperatorOrOutcomeOrInfiniteValue_NamesIt(string condition, string path)
    {
        var content = GuidelineJson.Parse(SeedWith(c => FirstRule(c)["when"] = JsonNode.Parse(condition)));

        Assert.Equal(path, Assert.Single(GuidelineValidator.Validate(content)).Path);
    }
}
