using AlkPlatform.Guidelines.Content;
using AlkPlatform.Guidelines.Workflow;

namespace AlkPlatform.Guidelines.Tests.Workflow;

public class MarkdownSafetyTests
{
    [Fact]
    public void Check_SeedGuideline_HasNoProblems() => Assert.Empty(MarkdownSafety.Check(SeedGuideline.Load()));

    [Theory]
    [InlineData("Reduce the dose for patients <35 kg.")]
    [InlineData("**Alectinib** 300 mg twice daily, see [the label](https://example.org/label).")]
    [InlineData("Ask: mailto <mailto:board@example.org>")]
    public void Check_PlainMarkdown_IsSafe(string markdown) => Assert.Empty(MarkdownSafety.Check("text", markdown));

    [Theory]
    [InlineData("Dose <img src=x onerror=alert(1)>", "raw HTML")]
    [InlineData("<div>block</div>", "raw HTML")]
    [InlineData("[click](javascript:alert(1))", "only http, https and mailto")]
    [InlineData("[data](data:text/html;base64,PHNjcmlwdD4=)", "only http, https and mailto")]
    public void Check_UnsafeMarkdown_IsRefusedWithReason(string markdown, string reason)
    {
        var problem = Assert.Single(MarkdownSafety.Check("sections[0].statements[0].text", markdown));
        Assert.Equal("sections[0].statements[0].text", problem.Path);
        Assert.Contains(reason, problem.Reason, StringComparison.Ordinal);
    }
}
