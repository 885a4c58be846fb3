using System.Net;
using System.Text.Json;
using AlkPlatform.Guidelines.Content;
using AlkPlatform.Guidelines.Workflow;
using AlkPlatform.Portal.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AlkPlatform.Portal.Tests;

/// <summary>The rule condition builder: "all of"/"any of" groups, "In" value lists and "when unknown", posted as a browser would.</summary>
public sealed class RuleBuilderTests : IAsyncLifetime
{
    private readonly PortalWorld _world = new();

    public ValueTask InitializeAsync() => _world.InitializeAsync();

    public ValueTask DisposeAsync() => _world.DisposeAsync();

    private GuidelineWorkflow Workflow => _world.Portal.Services.GetRequiredService<GuidelineWorkflow>();

    [Fact]
    public async Task SaveRule_AsAnyOfWithInValuesAndWhenUnknown_StoresExactlyThatCondition()
    {
        var ct = TestContext.Current.CancellationToken;
        var (client, url, number) = await OpenDraftAsync();
        var fields = HtmlForm.Fields(await client.GetStringAsync(url, ct), "editor");
        var rule = RulePrefix(fields, "R-RR-ALECTINIB");

        fields = fields
            .With($"{rule}.Group", "Any")
            .With($"{rule}.Conditions[0].Op", "In")
            .With($"{rule}.Conditions[0].WhenUnknown", "False")
            .With($"{rule}.Conditions[1].WhenUnknown", "");
        fields = [.. fields.Where(f => f.Key != $"{rule}.Conditions[0].Values"),
            new($"{rule}.Conditions[0].Values", "frontline"), new($"{rule}.Conditions[0].Values", "relapsed_refractory")];
        var response = await client.PostAsync($"{url}&handler=Save", SignIn.Form(fields), ct);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var saved = Workflow.GetRevision("alk-lbcl", number).Content.Rules.Single(r => r.Id == "R-RR-ALECTINIB");
        Assert.Equal(
            """{"any":[{"fact":"line_of_therapy","op":"In","values":["frontline","relapsed_refractory"],"whenUnknown":"False"},{"fact":"alectinib_available","op":"Ne","value":false}]}""",
            JsonSerializer.Serialize(saved.When, GuidelineJson.Options));

        // The editor shows the saved condition back: group, ticked values and "when unknown".
        var editor = HtmlForm.Fields(await client.GetStringAsync(url, ct), "editor");
        Assert.Contains(new KeyValuePair<string, string>($"{rule}.Group", "Any"), editor);
        Assert.Equal(["frontline", "relapsed_refractory"], editor.Where(f => f.Key == $"{rule}.Conditions[0].Values").Select(f => f.Value));
        Assert.Contains(new KeyValuePair<string, string>($"{rule}.Conditions[0].WhenUnknown", "False"), editor);
        Assert.Contains(new KeyValuePair<string, string>($"{rule}.Conditions[1].WhenUnknown", ""), editor);
    }

    [Fact]
    public async Task SaveRule_AnyOfGroupBackToAllOfWithoutIn_StoresComparisons()
    {
        var ct = TestContext.Current.CancellationToken;
        var (client, url, number) = await OpenDraftAsync();
        var fields = HtmlForm.Fields(await client.GetStringAsync(url, ct), "editor");
        var rule = RulePrefix(fields, "R-PITFALL-DURABILITY");

        fields = fields
            .With($"{rule}.Group", "All")
            .With($"{rule}.Conditions[1].Op", "Ne")
            .With($"{rule}.Conditions[1].Value", "none")
            .With($"{rule}.Conditions[1].WhenUnknown", "True");
        var response = await client.PostAsync($"{url}&handler=Save", SignIn.Form(fields), ct);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var saved = Workflow.GetRevision("alk-lbcl", number).Content.Rules.Single(r => r.Id == "R-PITFALL-DURABILITY");
        Assert.Equal(
            """{"all":[{"fact":"line_of_therapy","op":"Eq","value":"relapsed_refractory"},{"fact":"current_alk_inhibitor","op":"Ne","value":"none","whenUnknown":"True"}]}""",
            JsonSerializer.Serialize(saved.When, GuidelineJson.Options));
    }

    [Fact]
    public async Task Editor_NestedCondition_IsReadOnlyAndSaysSo()
    {
        var ct = TestContext.Current.CancellationToken;
        var (client, url, _) = await OpenDraftAsync();
        var html = await client.GetStringAsync(url, ct);
        var fields = HtmlForm.Fields(html, "editor");
        var rule = RulePrefix(fields, "R-PITFALL-PNEUMONITIS-MONITOR");

        Assert.Contains(new KeyValuePair<string, string>($"{rule}.Editable", "False"), fields);
        Assert.DoesNotContain(fields, f => f.Key.StartsWith($"{rule}.Conditions", StringComparison.Ordinal));
        Assert.Contains("Read-only condition.", html, StringComparison.Ordinal);
        Assert.Contains("any of (current_alk_inhibitor Eq crizotinib (when unknown: False); all of (", html, StringComparison.Ordinal);
    }

    private static string RulePrefix(List<KeyValuePair<string, string>> fields, string ruleId)
    {
        var id = fields.Single(f => f.Key.StartsWith("Form.Rules[", StringComparison.Ordinal) && f.Key.EndsWith("].Id", StringComparison.Ordinal) && f.Value == ruleId);
        return id.Key[..^".Id".Length];
    }

    private async Task<(HttpClient Client, string Url, int Number)> OpenDraftAsync()
    {
        var draft = Workflow.StartDraft(BoardMembers.Actor("ada.author"), "alk-lbcl", 1);
        var client = await _world.ClientFor(SignIn.User("ada.author"));
        return (client, $"/Revisions/Edit?id=alk-lbcl&n={draft.Number}", draft.Number);
    }
}
