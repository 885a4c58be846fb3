using AlkPlatform.Guidelines.Content;
using AlkPlatform.Guidelines.Rules;

namespace AlkPlatform.Guidelines.Tests;

public class SeedGuidelineTests
{
    [Fact]
    public void Seed_IsValid_AndCompiles()
    {
        var content = SeedGuideline.Load();

        Assert.Empty(GuidelineValidator.Validate(content));
        var compiled = CompiledGuideline.Compile(content);
        Assert.Equal(content.Rules.Count, compiled.RuleCount);
    }
}
