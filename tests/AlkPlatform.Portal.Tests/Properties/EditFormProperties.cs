using System.Net;
using AlkPlatform.Guidelines.Content;
using AlkPlatform.Guidelines.Workflow;
using AlkPlatform.Portal.Tests.Infrastructure;
using AlkPlatform.Testing.Generators;
using AlkPlatform.Testing.Properties;
using CsCheck;
using Microsoft.Extensions.DependencyInjection;

namespace AlkPlatform.Portal.Tests.Properties;

/// <summary>
/// Generated posts of the revision editor (/Revisions/Edit), signed in as the author through the real OpenID Connect
/// handler and carrying the page's real antiforgery token: the rendered form with fields changed, removed, duplicated or
/// added, to every handler. Never a server error; a refusal says why and leaves the draft exactly as saved; a save
/// saves once; the live release is never touched; the editor still saves the form as rendered afterwards.
/// </summary>
[Trait(PropertyRuns.Trait, PropertyRuns.Category)]
public sealed class EditFormProperties : IAsyncLifetime
{
    private readonly PortalWorld _world = new();

    public ValueTask InitializeAsync() => _world.InitializeAsync();

    public ValueTask DisposeAsync() => _world.DisposeAsync();

    private GuidelineWorkflow Workflow => _world.Portal.Services.GetRequiredService<GuidelineWorkflow>();

    private static readonly string[] Sections = [.. SeedGuideline.Load().Sections.Select(s => s.Id)];
    private static readonly string[] Statements = [.. SeedGuideline.Load().AllStatements().Select(s => s.Id)];

    private static readonly Gen<(string Handler, string Query)> Handler = Gen.Frequency(
        (5, Gen.Const(("Save", ""))),
        (2, Target(Sections).Select(id => ("AddStatement", "&sectionId=" + id))),
        (2, Target(Statements).Select(id => ("RemoveStatement", "&statementId=" + id))),
        (2, Gen.Const(("AddSection", ""))),
        (1, Target(Sections).Select(id => ("RemoveSection", "&sectionId=" + id))),
        (1, Gen.Const(("Preview", ""))),
        (1, Gen.Const(("Revise", ""))),
        (1, Gen.OneOf("", "save", "Nope", "Save&handler=Revise").Select(h => (h, ""))));

    /// <summary>A real id most of the time, otherwise anything, escaped for the query string.</summary>
    private static Gen<string> Target(string[] ids) =>
        Gen.Frequency((4, Gen.OneOf(ids)), (1, GeneratedText.Any(200))).Select(Uri.EscapeDataString);

    [Fact]
    public async Task EditorPosts_Generated_NeverAServerErrorAndARefusalLeavesTheDraftAsSaved()
    {
        var ct = TestContext.Current.CancellationToken;
        var ada = BoardMembers.Actor("ada.author");
        var draft = Workflow.StartDraft(ada, "alk-lbcl", 1);
        var opened = draft.Content;
        var client = await _world.ClientFor(SignIn.User("ada.author"));
        var url = $"/Revisions/Edit?id=alk-lbcl&n={draft.Number}";
        var live = Workflow.GetLiveRelease("alk-lbcl")!.ContentHash;

        await PropertyRuns.CheckAsync(nameof(EditorPosts_Generated_NeverAServerErrorAndARefusalLeavesTheDraftAsSaved), Gen.Select(Handler, FormPosts.Edits(5)), async c =>
        {
            // Every case starts from the draft as first opened, so a failing case fails on its own when shrunk.
            var before = Workflow.GetRevision("alk-lbcl", draft.Number);
            before = Workflow.SaveDraft(ada, "alk-lbcl", draft.Number, opened, before.SaveNumber);
            var fields = HtmlForm.Fields(await client.GetStringAsync(url, ct), "editor");
            fields = c.Item2.Aggregate(fields, (form, edit) => edit.ApplyTo(form));

            var (status, body) = await FormOutcome.ReadAsync(await client.PostAsync($"{url}&handler={c.Item1.Handler}{c.Item1.Query}", SignIn.Form(fields), ct));

            var after = Workflow.GetRevision("alk-lbcl", draft.Number);
            if (status == HttpStatusCode.Redirect)
            {
                Assert.Equal(before.SaveNumber + 1, after.SaveNumber);
                Assert.Equal(after.ContentHash, GuidelineJson.ComputeHash(GuidelineJson.Parse(GuidelineJson.ToIndentedJson(after.Content))));
            }
            else
            {
                FormOutcome.AssertExplained(status, body, fields);
                Assert.Equal((before.SaveNumber, before.ContentHash), (after.SaveNumber, after.ContentHash));
            }
            Assert.Equal(live, Workflow.GetLiveRelease("alk-lbcl")!.ContentHash);
        }, costly: true);

        var editor = await client.GetStringAsync(url, ct);
        var saved = await client.PostAsync($"{url}&handler=Save", SignIn.Form(HtmlForm.Fields(editor, "editor")), ct);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
    }
}
