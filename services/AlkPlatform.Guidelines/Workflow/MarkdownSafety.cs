using AlkPlatform.Guidelines.Content;
using Ganss.Xss;
using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace AlkPlatform.Guidelines.Workflow;

/// <summary>
/// Checks that Markdown in the content renders to HTML a sanitiser leaves untouched: no raw HTML, no script or
/// javascript: links. Text that would be altered by sanitising is refused rather than silently changed. Every field that
/// CardRenderer writes into a card's <c>detail_markdown</c> (summary, statements, dose text, evidence population, the
/// subject of a conflict) is checked, and so is every other text shown as Markdown (section titles, rule descriptions).
/// </summary>
public static class MarkdownSafety
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().Build();
    private static readonly string[] SafeSchemes = ["http", "https", "mailto"];

    public static IReadOnlyList<ValidationError> Check(GuidelineContent content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var errors = new List<ValidationError>();
        errors.AddRange(Check("question", content.Question));
        errors.AddRange(Check("disclaimer", content.Disclaimer));
        for (var s = 0; s < content.Sections.Count; s++)
        {
            errors.AddRange(Check($"sections[{s}].title", content.Sections[s].Title));
            var statements = content.Sections[s].Statements;
            for (var i = 0; i < statements.Count; i++)
            {
                var path = $"sections[{s}].statements[{i}]";
                errors.AddRange(Check($"{path}.text", statements[i].Text));
                foreach (var (audience, text) in statements[i].AudienceText)
                {
                    errors.AddRange(Check($"{path}.audienceText.{audience}", text));
                }
            }
        }
        for (var i = 0; i < content.References.Count; i++)
        {
            errors.AddRange(Check($"references[{i}].text", content.References[i].Text));
        }
        for (var r = 0; r < content.Rules.Count; r++)
        {
            CheckRule(errors, $"rules[{r}]", content.Rules[r]);
        }
        return errors;
    }

    private static void CheckRule(List<ValidationError> errors, string path, RuleDefinition rule)
    {
        // As the conflict card writes it: inside a code span, which a backtick in the id would close.
        errors.AddRange(Check($"{path}.id", $"`{rule.Id}`"));
        errors.AddRange(Check($"{path}.description", rule.Description));
        var card = rule.Card;
        errors.AddRange(Check($"{path}.card.summary", card.Summary));
        errors.AddRange(Check($"{path}.card.evidencePopulation", card.EvidencePopulation));
        errors.AddRange(Check($"{path}.card.subject", card.Subject));
        if (card.Therapy is not { } therapy)
        {
            return;
        }
        errors.AddRange(Check($"{path}.card.therapy.drug", therapy.Drug));
        errors.AddRange(Check($"{path}.card.therapy.unit", therapy.Unit));
        errors.AddRange(Check($"{path}.card.therapy.frequency", therapy.Frequency));
        errors.AddRange(Check($"{path}.card.therapy.route", therapy.Route));
        errors.AddRange(Check($"{path}.card.therapy.weightBasedAdjustment", therapy.WeightBasedAdjustment));
        for (var d = 0; d < therapy.DoseOptions.Count; d++)
        {
            errors.AddRange(Check($"{path}.card.therapy.doses[{d}].appliesWhen", therapy.DoseOptions[d].AppliesWhen));
        }
    }

    /// <summary>The problems with one Markdown text at <paramref name="path"/>; empty when it is safe to render.</summary>
    public static IReadOnlyList<ValidationError> Check(string path, string? markdown)
    {
        if (string.IsNullOrEmpty(markdown))
        {
            return [];
        }
        try
        {
            return CheckParsed(path, markdown);
        }
        catch (ArgumentException)
        {
            // Markdig's depth limit ("[[[[…", ">>>>…"): text that cannot be rendered is refused, not a crash of the gate.
            return [new(path, "is nested too deeply to render as Markdown; simplify it")];
        }
    }

    private static List<ValidationError> CheckParsed(string path, string markdown)
    {
        var errors = new List<ValidationError>();
        var rawHtml = new List<string>();
        var document = Markdown.Parse(markdown, Pipeline);
        foreach (var node in document.Descendants())
        {
            switch (node)
            {
                case HtmlBlock block:
                    rawHtml.Add(Snippet(block.Lines.ToString()));
                    break;
                case HtmlInline inline:
                    rawHtml.Add(Snippet(inline.Tag));
                    break;
                case LinkInline link when !IsSafeUrl(link.Url):
                    errors.Add(new(path, $"links to '{link.Url}'; only http, https and mailto links are allowed"));
                    break;
                case AutolinkInline auto when !IsSafeUrl(auto.Url):
                    errors.Add(new(path, $"links to '{auto.Url}'; only http, https and mailto links are allowed"));
                    break;
            }
        }
        if (rawHtml.Count > 0)
        {
            errors.Insert(0, new(path, $"contains raw HTML ({string.Join(" ", rawHtml)}); write it as Markdown"));
        }
        var removed = new List<string>();
        var sanitizer = new HtmlSanitizer();
        sanitizer.AllowedSchemes.Add("mailto");
        sanitizer.RemovingTag += (_, e) => removed.Add($"<{e.Tag.TagName.ToLowerInvariant()}>");
        sanitizer.RemovingAttribute += (_, e) => removed.Add($"attribute '{e.Attribute.Name}'");
        sanitizer.RemovingStyle += (_, e) => removed.Add($"style '{e.Style.Name}'");
        sanitizer.RemovingComment += (_, _) => removed.Add("an HTML comment");
        sanitizer.Sanitize(Markdown.ToHtml(markdown, Pipeline));
        if (errors.Count == 0 && removed.Count > 0)
        {
            errors.Add(new(path, $"renders to HTML the sanitiser would alter (it removes {string.Join(", ", removed.Distinct())})"));
        }
        return errors;
    }

    private static bool IsSafeUrl(string? url)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return true;
        }
        var colon = url.IndexOf(':', StringComparison.Ordinal);
        var firstSeparator = url.IndexOfAny(['/', '?', '#']);
        var hasScheme = colon > 0 && (firstSeparator < 0 || colon < firstSeparator);
        return !hasScheme || SafeSchemes.Contains(url[..colon].Trim(), StringComparer.OrdinalIgnoreCase);
    }

    private static string Snippet(string? text)
    {
        var trimmed = (text ?? "").Trim();
        return trimmed.Length <= 40 ? trimmed : trimmed[..40] + "…";
    }
}
