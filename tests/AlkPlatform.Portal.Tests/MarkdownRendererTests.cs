using AlkPlatform.Portal.Content;

namespace AlkPlatform.Portal.Tests;

/// <summary>Board-written Markdown becomes HTML without active content.</summary>
public sealed class MarkdownRendererTests
{
    [Theory]
    [InlineData("Dose <script>alert(1)</script> daily", "<script")]
    [InlineData("[click](javascript:alert(1))", "javascript:")]
    [InlineData("<img src=x onerror=alert(1)>", "<img")]
    [InlineData("<a href=\"https://x.example\" onclick=\"steal()\">x</a>", "<a ")]
    public void MarkdownRenderer_ActiveContent_IsRemoved(string markdown, string forbidden)
    {
        var html = new MarkdownRenderer().ToSafeHtml(markdown);
        Assert.False(html.Contains(forbidden, StringComparison.OrdinalIgnoreCase), html);
    }

    [Fact]
    public void MarkdownRenderer_OrdinaryMarkdown_KeepsEmphasisAndHttpsLinks()
    {
        var html = new MarkdownRenderer().ToSafeHtml("Use **alectinib** ([label](https://example.org/label)).");
        Assert.Contains("<strong>alectinib</strong>", html, StringComparison.Ordinal);
        Assert.Contains("href=\"https://example.org/label\"", html, StringComparison.Ordinal);
    }
}
