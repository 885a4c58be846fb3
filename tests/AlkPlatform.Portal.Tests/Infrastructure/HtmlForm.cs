using System.Net;
using System.Text.RegularExpressions;

namespace AlkPlatform.Portal.Tests.Infrastructure;

/// <summary>What a browser would post for a form as rendered: inputs, checked boxes, textareas and selected options.</summary>
public static partial class HtmlForm
{
    public static List<KeyValuePair<string, string>> Fields(string html, string formId)
    {
        var start = html.IndexOf($"id=\"{formId}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"form #{formId} is not on the page");
        var body = html[start..html.IndexOf("</form>", start, StringComparison.Ordinal)];
        var fields = new List<(int At, string Name, string Value)>();
        foreach (Match input in Input().Matches(body))
        {
            var tag = input.Value;
            var type = Attribute(tag, "type")?.ToLowerInvariant();
            var name = Attribute(tag, "name");
            if (name is null || type is "submit" or "button" || (type is "checkbox" or "radio" && !HasFlag(tag, "checked")))
            {
                continue;
            }
            fields.Add((input.Index, name, Attribute(tag, "value") ?? (type is "checkbox" or "radio" ? "on" : "")));
        }
        foreach (Match area in TextArea().Matches(body))
        {
            var text = WebUtility.HtmlDecode(area.Groups["text"].Value);
            // Browsers drop one newline right after <textarea>.
            fields.Add((area.Index, Attribute(area.Groups["tag"].Value, "name")!, text.StartsWith('\n') ? text[1..] : text.StartsWith("\r\n", StringComparison.Ordinal) ? text[2..] : text));
        }
        foreach (Match select in Select().Matches(body))
        {
            var options = Option().Matches(select.Groups["options"].Value);
            var chosen = options.FirstOrDefault(o => HasFlag(o.Value, "selected")) ?? options.FirstOrDefault();
            fields.Add((select.Index, Attribute(select.Groups["tag"].Value, "name")!, chosen is null ? "" : Attribute(chosen.Value, "value") ?? ""));
        }
        return [.. fields.Where(f => f.Name.Length > 0).OrderBy(f => f.At).Select(f => new KeyValuePair<string, string>(f.Name, f.Value))];
    }

    /// <summary>The fields with <paramref name="name"/> replaced by <paramref name="value"/>.</summary>
    public static List<KeyValuePair<string, string>> With(this List<KeyValuePair<string, string>> fields, string name, string value) =>
        [.. fields.Where(f => f.Key != name), new(name, value)];

    private static string? Attribute(string tag, string name)
    {
        var match = Regex.Match(tag, $"\\s{name}=\"([^\"]*)\"", RegexOptions.IgnoreCase);
        return match.Success ? WebUtility.HtmlDecode(match.Groups[1].Value) : null;
    }

    private static bool HasFlag(string tag, string name) => Regex.IsMatch(tag, $"\\s{name}(=\"[^\"]*\")?[\\s/>]", RegexOptions.IgnoreCase);

    [GeneratedRegex("<input[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex Input();

    [GeneratedRegex("(?<tag><textarea[^>]*>)(?<text>.*?)</textarea>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex TextArea();

    [GeneratedRegex("(?<tag><select[^>]*>)(?<options>.*?)</select>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex Select();

    [GeneratedRegex("<option[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex Option();
}
