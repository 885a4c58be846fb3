using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace AlkPlatform.Portal.Tests.Infrastructure;

/// <summary>Reads a rendered page's forms with a real HTML parser, as a browser would before posting them.</summary>
public static class HtmlForm
{
    /// <summary>What a browser would post for a form as rendered: inputs, checked boxes, textareas and selected options.</summary>
    public static List<KeyValuePair<string, string>> Fields(string html, string formId)
    {
        var form = new HtmlParser().ParseDocument(html).GetElementById(formId) as IHtmlFormElement;
        Assert.True(form is not null, $"form #{formId} is not on the page");
        var fields = new List<KeyValuePair<string, string>>();
        foreach (var control in form.Elements)
        {
            var name = control.GetAttribute("name");
            if (string.IsNullOrEmpty(name) || control.HasAttribute("disabled"))
            {
                continue;
            }
            switch (control)
            {
                case IHtmlInputElement input when input.Type is "submit" or "button" or "reset" or "image":
                    break;
                case IHtmlInputElement input when input.Type is "checkbox" or "radio":
                    if (input.IsChecked)
                    {
                        fields.Add(new(name, input.GetAttribute("value") ?? "on"));
                    }
                    break;
                case IHtmlInputElement input:
                    fields.Add(new(name, input.GetAttribute("value") ?? ""));
                    break;
                case IHtmlTextAreaElement area:
                    // The parser already drops the one newline right after <textarea>, as browsers do.
                    fields.Add(new(name, area.Value));
                    break;
                case IHtmlSelectElement select:
                    var chosen = select.Options.FirstOrDefault(o => o.HasAttribute("selected")) ?? (select.Options.Length > 0 ? select.Options[0] : null);
                    fields.Add(new(name, chosen?.Value ?? ""));
                    break;
            }
        }
        return fields;
    }

    /// <summary>Every hidden input on the page, in document order (the antiforgery token, a form_post response's fields).</summary>
    public static List<KeyValuePair<string, string>> HiddenInputs(string html) =>
        [.. new HtmlParser().ParseDocument(html).QuerySelectorAll("input").OfType<IHtmlInputElement>()
            .Where(input => input.Type == "hidden")
            .Select(input => new KeyValuePair<string, string>(input.GetAttribute("name") ?? "", input.GetAttribute("value") ?? ""))];

    /// <summary>The absolute action of the page's first form that names one (a form_post response's target).</summary>
    public static Uri Action(string html)
    {
        var action = new HtmlParser().ParseDocument(html).QuerySelector("form[action]")?.GetAttribute("action");
        Assert.True(action is not null, "no form with an action is on the page");
        return new Uri(action);
    }

    /// <summary>The fields with <paramref name="name"/> replaced by <paramref name="value"/>.</summary>
    public static List<KeyValuePair<string, string>> With(this List<KeyValuePair<string, string>> fields, string name, string value) =>
        [.. fields.Where(f => f.Key != name), new(name, value)];
}
