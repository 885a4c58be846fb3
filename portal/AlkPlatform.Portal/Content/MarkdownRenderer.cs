using Ganss.Xss;
using Markdig;

namespace AlkPlatform.Portal.Content;

/// <summary>Statement Markdown → HTML that is safe to embed: Markdig renders, HtmlSanitizer removes anything active.</summary>
public sealed class MarkdownRenderer
{
    private readonly MarkdownPipeline _pipeline = new MarkdownPipelineBuilder().DisableHtml().UseEmphasisExtras().UseAutoLinks().Build();
    private readonly HtmlSanitizer _sanitizer = CreateSanitizer();

    public string ToSafeHtml(string? markdown)
    {
        if (string.IsNullOrWhiteSpace(markdown))
        {
            return "";
        }
        try
        {
            return _sanitizer.Sanitize(Markdown.ToHtml(markdown, _pipeline));
        }
        catch (ArgumentException)
        {
            // Beyond Markdig's depth limit: shown as plain text; the submit gate refuses it, so it is never released.
            return $"<p>{System.Text.Encodings.Web.HtmlEncoder.Default.Encode(markdown)}</p>";
        }
    }

    /// <summary>Renders inline (no wrapping paragraph), for statements shown as list items.</summary>
    public string ToSafeInlineHtml(string? markdown)
    {
        var html = ToSafeHtml(markdown).Trim();
        return html.StartsWith("<p>", StringComparison.Ordinal) && html.EndsWith("</p>", StringComparison.Ordinal)
            && html.IndexOf("<p>", 3, StringComparison.Ordinal) < 0
            ? html[3..^4]
            : html;
    }

    private static HtmlSanitizer CreateSanitizer()
    {
        var sanitizer = new HtmlSanitizer();
        sanitizer.AllowedSchemes.Clear();
        sanitizer.AllowedSchemes.Add("https");
        sanitizer.AllowedSchemes.Add("mailto");
        sanitizer.AllowedAttributes.Remove("style");
        sanitizer.AllowedTags.Remove("img");
        return sanitizer;
    }
}
