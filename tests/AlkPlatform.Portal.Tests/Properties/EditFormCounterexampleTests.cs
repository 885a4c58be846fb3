using System.Net;
using AlkPlatform.Guidelines.Workflow;
using AlkPlatform.Portal.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AlkPlatform.Portal.Tests.Properties;

/// <summary>
/// The editor posts the form property shrank to, pinned. Each was an HTTP 500: the model binder leaves an empty field null
/// whatever its declared type, the form code assumed it never was, "NaN" parsed as a number no JSON can hold, and a post
/// to a handler the page lacks rendered the page with nothing loaded.
/// </summary>
public sealed class EditFormCounterexampleTests : IAsyncLifetime
{
    private readonly PortalWorld _world = new();

    public ValueTask InitializeAsync() => _world.InitializeAsync();

    public ValueTask DisposeAsync() => _world.DisposeAsync();

    [Theory]
    [InlineData("Form.Statements[0].Id", "")]
    [InlineData("Form.Rules[0].Description", "")]
    [InlineData("Form.Scenarios[0].ExpectedCards", "")]
    [InlineData("Form.Title", "")]
    public async Task Save_WithAnEmptiedField_IsSavedNotAServerError(string field, string value)
    {
        var (client, url, number, workflow) = await OpenDraftAsync();
        var before = workflow.GetRevision("alk-lbcl", number).SaveNumber;

        var response = await client.PostAsync($"{url}&handler=Save", SignIn.Form(HtmlForm.Fields(await client.GetStringAsync(url, Ct), "editor").With(field, value)), Ct);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(before + 1, workflow.GetRevision("alk-lbcl", number).SaveNumber);
    }

    [Fact]
    public async Task Save_NaNAsAWeightThreshold_IsSavedAndNamedAsAProblem()
    {
        var (client, url, number, workflow) = await OpenDraftAsync();
        var fields = HtmlForm.Fields(await client.GetStringAsync(url, Ct), "editor")
            .With("Form.Rules[0].Conditions[0].Fact", "weight_kg")
            .With("Form.Rules[0].Conditions[0].Op", "Lt")
            .With("Form.Rules[0].Conditions[0].Value", "NaN");

        var response = await client.PostAsync($"{url}&handler=Save", SignIn.Form(fields), Ct);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var problems = ContentGates.CheckSubmit(workflow.GetRevision("alk-lbcl", number).Content);
        Assert.Contains(problems, p => p.Path == "rules[0].when.all[0].value" && p.Reason.Contains("is a number", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Save_StatementNestedBeyondMarkdownsDepthLimit_IsSavedAndNamedAsAProblem()
    {
        var (client, url, number, workflow) = await OpenDraftAsync();

        var response = await client.PostAsync($"{url}&handler=Save", SignIn.Form(HtmlForm.Fields(await client.GetStringAsync(url, Ct), "editor").With("Form.Statements[0].Text", new string('[', 139))), Ct);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains(ContentGates.CheckSubmit(workflow.GetRevision("alk-lbcl", number).Content), p => p.Reason.Contains("nested too deeply", StringComparison.Ordinal));
        Assert.Contains("nested too deeply", await client.GetStringAsync(url, Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_ToAHandlerThePageLacks_IsNotFound()
    {
        var (client, url, _, _) = await OpenDraftAsync();

        var response = await client.PostAsync($"{url}&handler=Nope", SignIn.Form(HtmlForm.Fields(await client.GetStringAsync(url, Ct), "editor")), Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(HttpClient Client, string Url, int Number, GuidelineWorkflow Workflow)> OpenDraftAsync()
    {
        var workflow = _world.Portal.Services.GetRequiredService<GuidelineWorkflow>();
        var draft = workflow.StartDraft(BoardMembers.Actor("ada.author"), "alk-lbcl", 1);
        return (await _world.ClientFor(SignIn.User("ada.author")), $"/Revisions/Edit?id=alk-lbcl&n={draft.Number}", draft.Number, workflow);
    }
}
