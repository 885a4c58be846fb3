using AlkPlatform.Guidelines.Workflow;

namespace AlkPlatform.Guidelines.Tests.Properties;

/// <summary>
/// The statement text the editor property shrank to, pinned: Markdig refuses to render Markdown nested beyond its depth
/// limit by throwing, so the submit gate threw instead of naming the text (an HTTP 500 on every save of that draft).
/// </summary>
public sealed class MarkdownDepthCounterexampleTests
{
    [Fact]
    public void Check_MarkdownNestedBeyondTheDepthLimit_IsNamedNotThrown()
    {
        var problem = Assert.Single(MarkdownSafety.Check("sections[0].statements[0].text", new string('[', 139)));

        Assert.Equal("sections[0].statements[0].text", problem.Path);
        Assert.Contains("nested too deeply", problem.Reason, StringComparison.Ordinal);
    }
}
