using System.Net;
using AlkPlatform.Guidelines.Workflow;
using AlkPlatform.Portal.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AlkPlatform.Portal.Tests;

/// <summary>
/// The revision editor (/Revisions/Edit), posting the whole form as a browser would: adding and removing statements and
/// sections, saving, and a save that someone else's save overtook.
/// </summary>
public sealed class EditPageTests : IAsyncLifetime
{
    private readonly PortalWorld _world = new();

    public ValueTask InitializeAsync() => _world.InitializeAsync();

    public ValueTask DisposeAsync() => _world.DisposeAsync();

    private GuidelineWorkflow Workflow => _world.Portal.Services.GetRequiredService<GuidelineWorkflow>();

    [Fact]
    public async Task AddStatement_ThenRemoveIt_SavesEachWithTheTypedEdits()
    {
        var ct = TestContext.Current.CancellationToken;
        var (client, url, number) = await OpenDraftAsync();

        var fields = HtmlForm.Fields(await client.GetStringAsync(url, ct), "editor").With("Form.ChangeSummary", "Adds a monitoring statement");
        var added = await client.PostAsync($"{url}&handler=AddStatement&sectionId=algorithm-relapsed", SignIn.Form(fields), ct);

        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        Assert.EndsWith("#edit-algorithm-relapsed-statement-1", added.Headers.Location!.ToString(), StringComparison.Ordinal);
        var saved = Workflow.GetRevision("alk-lbcl", number);
        Assert.Equal("Adds a monitoring statement", saved.Content.ChangeSummary);
        Assert.Equal("algorithm-relapsed-statement-1", saved.Content.Sections.Single(s => s.Id == "algorithm-relapsed").Statements[^1].Id);
        var editor = await client.GetStringAsync(url, ct);
        Assert.Contains("id=\"edit-algorithm-relapsed-statement-1\"", editor, StringComparison.Ordinal);
        Assert.Contains("statement &#x27;algorithm-relapsed-statement-1&#x27; cites no reference", editor, StringComparison.Ordinal);

        var removed = await client.PostAsync($"{url}&handler=RemoveStatement&statementId=algorithm-relapsed-statement-1", SignIn.Form(HtmlForm.Fields(editor, "editor")), ct);

        Assert.Equal(HttpStatusCode.Redirect, removed.StatusCode);
        Assert.DoesNotContain(Workflow.GetRevision("alk-lbcl", number).Content.AllStatements(), s => s.Id == "algorithm-relapsed-statement-1");
    }

    [Fact]
    public async Task RemoveStatement_CitedByARuleCard_ShowsTheValidatorErrorBesideItAndSavesNothing()
    {
        var ct = TestContext.Current.CancellationToken;
        var (client, url, number) = await OpenDraftAsync();
        var before = Workflow.GetRevision("alk-lbcl", number);

        var fields = HtmlForm.Fields(await client.GetStringAsync(url, ct), "editor").With("Form.ChangeSummary", "Typed but not saved");
        var response = await client.PostAsync($"{url}&handler=RemoveStatement&statementId=rr-alectinib-dose", SignIn.Form(fields), ct);
        var html = await response.Content.ReadAsStringAsync(ct);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("id=\"refusal-rr-alectinib-dose\"", html, StringComparison.Ordinal);
        Assert.Contains("rule &#x27;R-RR-ALECTINIB&#x27;: statement &#x27;rr-alectinib-dose&#x27; does not exist", html, StringComparison.Ordinal);
        Assert.Contains("Typed but not saved", html, StringComparison.Ordinal);
        var after = Workflow.GetRevision("alk-lbcl", number);
        Assert.Equal(before.SaveNumber, after.SaveNumber);
        Assert.Contains(after.Content.AllStatements(), s => s.Id == "rr-alectinib-dose");
    }

    [Fact]
    public async Task AddSection_ThenRemoveIt_AndRemovingASectionCardsRestOn_IsRefused()
    {
        var ct = TestContext.Current.CancellationToken;
        var (client, url, number) = await OpenDraftAsync();

        var fields = HtmlForm.Fields(await client.GetStringAsync(url, ct), "editor").With("NewSectionTitle", "Monitoring on treatment").With("NewSectionLevel", "3");
        var added = await client.PostAsync($"{url}&handler=AddSection", SignIn.Form(fields), ct);
        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        var section = Workflow.GetRevision("alk-lbcl", number).Content.Sections[^1];
        Assert.Equal(("monitoring-on-treatment", "Monitoring on treatment", 3), (section.Id, section.Title, section.Level));

        var editor = await client.GetStringAsync(url, ct);
        var refused = await client.PostAsync($"{url}&handler=RemoveSection&sectionId=algorithm-relapsed", SignIn.Form(HtmlForm.Fields(editor, "editor")), ct);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("statement &#x27;rr-alectinib-dose&#x27; does not exist", await refused.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        Assert.Contains(Workflow.GetRevision("alk-lbcl", number).Content.Sections, s => s.Id == "algorithm-relapsed");

        var removed = await client.PostAsync($"{url}&handler=RemoveSection&sectionId=monitoring-on-treatment", SignIn.Form(HtmlForm.Fields(editor, "editor")), ct);
        Assert.Equal(HttpStatusCode.Redirect, removed.StatusCode);
        Assert.DoesNotContain(Workflow.GetRevision("alk-lbcl", number).Content.Sections, s => s.Id == "monitoring-on-treatment");
    }

    [Fact]
    public async Task AddSection_WithoutTitle_IsRefusedBesideTheNewSectionFields()
    {
        var ct = TestContext.Current.CancellationToken;
        var (client, url, number) = await OpenDraftAsync();
        var sections = Workflow.GetRevision("alk-lbcl", number).Content.Sections.Count;

        var response = await client.PostAsync($"{url}&handler=AddSection", SignIn.Form(HtmlForm.Fields(await client.GetStringAsync(url, ct), "editor")), ct);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("a new section needs a title", await response.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        Assert.Equal(sections, Workflow.GetRevision("alk-lbcl", number).Content.Sections.Count);
    }

    [Fact]
    public async Task SaveDraft_WholeFormUnchanged_KeepsTheContentExactly()
    {
        var ct = TestContext.Current.CancellationToken;
        var (client, url, number) = await OpenDraftAsync();
        var before = Workflow.GetRevision("alk-lbcl", number);

        var response = await client.PostAsync($"{url}&handler=Save", SignIn.Form(HtmlForm.Fields(await client.GetStringAsync(url, ct), "editor")), ct);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Empty(AlkPlatform.Guidelines.Diffs.RevisionDiffer.Compare(before.Content, Workflow.GetRevision("alk-lbcl", number).Content).Describe());
    }

    [Fact]
    public async Task SaveDraft_AfterSomeoneElseSaved_ShowsConflictNamingThemAndKeepsInput()
    {
        var ct = TestContext.Current.CancellationToken;
        var workflow = _world.Portal.Services.GetRequiredService<GuidelineWorkflow>();
        var ada = await _world.ClientFor(SignIn.User("ada.author"));
        var started = await ada.PostAsync("/Guidelines/History?id=alk-lbcl&handler=StartDraft",
            SignIn.Form([new("__RequestVerificationToken", SignIn.AntiforgeryToken(await ada.GetStringAsync("/Guidelines/History?id=alk-lbcl", ct))), new("from", "1")]), ct);
        Assert.Equal(HttpStatusCode.Redirect, started.StatusCode);
        var editUrl = started.Headers.Location!.ToString();
        var editor = await ada.GetStringAsync(editUrl, ct);
        var number = int.Parse(editUrl[(editUrl.LastIndexOf('=') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        var fields = HtmlForm.HiddenInputs(editor).Where(f => f.Key is "__RequestVerificationToken" or "SaveNumber").DistinctBy(f => f.Key).ToList();

        // Alex (admin) saves first, from the same save Ada opened.
        var draft = workflow.GetRevision("alk-lbcl", number);
        workflow.SaveDraft(BoardMembers.Actor("alex.admin"), "alk-lbcl", number, draft.Content with { ChangeSummary = "Alex's summary" }, draft.SaveNumber);

        var response = await ada.PostAsync($"{editUrl}&handler=Save", SignIn.Form([.. fields, new("Form.Title", "Ada's new title"), new("Form.Question", "q")]), ct);
        var html = await response.Content.ReadAsStringAsync(ct);
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("Someone else saved first", html, StringComparison.Ordinal);
        Assert.Contains("Alex Admin", html, StringComparison.Ordinal);
        Assert.Contains("Ada&#x27;s new title", html, StringComparison.Ordinal);
        Assert.Equal("Alex's summary", workflow.GetRevision("alk-lbcl", number).Content.ChangeSummary);
    }

    private async Task<(HttpClient Client, string Url, int Number)> OpenDraftAsync()
    {
        var draft = Workflow.StartDraft(BoardMembers.Actor("ada.author"), "alk-lbcl", 1);
        var client = await _world.ClientFor(SignIn.User("ada.author"));
        return (client, $"/Revisions/Edit?id=alk-lbcl&n={draft.Number}", draft.Number);
    }
}
