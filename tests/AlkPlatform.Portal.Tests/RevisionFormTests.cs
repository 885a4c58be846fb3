using System.Net;
using AlkPlatform.Guidelines.Workflow;
using AlkPlatform.Portal.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AlkPlatform.Portal.Tests;

/// <summary>Real forms with their antiforgery tokens, against the workflow behind the pages.</summary>
public sealed class RevisionFormTests(PortalWorld world) : IClassFixture<PortalWorld>
{
    [Fact]
    public async Task SaveDraft_AfterSomeoneElseSaved_ShowsConflictNamingThemAndKeepsInput()
    {
        var ct = TestContext.Current.CancellationToken;
        var workflow = world.Portal.Services.GetRequiredService<GuidelineWorkflow>();
        var ada = await world.ClientFor(SignIn.User("ada.author"));
        var started = await ada.PostAsync("/Guidelines/History?id=alk-lbcl&handler=StartDraft",
            SignIn.Form([new("__RequestVerificationToken", SignIn.AntiforgeryToken(await ada.GetStringAsync("/Guidelines/History?id=alk-lbcl", ct))), new("from", "1")]), ct);
        Assert.Equal(HttpStatusCode.Redirect, started.StatusCode);
        var editUrl = started.Headers.Location!.ToString();
        var editor = await ada.GetStringAsync(editUrl, ct);
        var number = int.Parse(editUrl[(editUrl.LastIndexOf('=') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        var fields = SignIn.HiddenInputs(editor).Where(f => f.Key is "__RequestVerificationToken" or "SaveNumber").DistinctBy(f => f.Key).ToList();

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

    [Fact]
    public async Task Approve_ByRevisionAuthor_IsRefusedWithReason()
    {
        var ct = TestContext.Current.CancellationToken;
        var workflow = world.Portal.Services.GetRequiredService<GuidelineWorkflow>();
        var ada = BoardMembers.Actor("ada.author");
        var draft = workflow.StartDraft(ada, "alk-lbcl", 1);
        draft = workflow.SaveDraft(ada, "alk-lbcl", draft.Number, draft.Content with { ChangeSummary = "self approval attempt" }, draft.SaveNumber);
        var submitted = workflow.Submit(ada, "alk-lbcl", draft.Number, draft.SaveNumber);
        workflow.StartReview(BoardMembers.Actor("rui.reviewer"), "alk-lbcl", draft.Number);

        var client = await world.ClientFor(SignIn.User("ada.author"));
        var url = $"/Reviews/Review?id=alk-lbcl&n={draft.Number}";
        var page = await client.GetStringAsync(url, ct);
        var response = await client.PostAsync($"{url}&handler=Approve", SignIn.Form([
            new("__RequestVerificationToken", SignIn.AntiforgeryToken(page)),
            new("approvedHash", submitted.SubmittedHash!),
            new("signatureMeaningConfirmed", "true")]), ct);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("Not done", await response.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        Assert.Empty(workflow.GetApprovals("alk-lbcl", draft.Number));
    }

    [Fact]
    public async Task Approve_WithoutConfirmingSignatureMeaning_IsNotRecorded()
    {
        var ct = TestContext.Current.CancellationToken;
        var workflow = world.Portal.Services.GetRequiredService<GuidelineWorkflow>();
        var ada = BoardMembers.Actor("ada.author");
        var draft = workflow.StartDraft(ada, "alk-lbcl", 1);
        var submitted = workflow.Submit(ada, "alk-lbcl", draft.Number, draft.SaveNumber);
        workflow.StartReview(BoardMembers.Actor("rui.reviewer"), "alk-lbcl", draft.Number);

        var client = await world.ClientFor(SignIn.User("amira.approver"));
        var url = $"/Reviews/Review?id=alk-lbcl&n={draft.Number}";
        var page = await client.GetStringAsync(url, ct);
        Assert.Contains(WorkflowOptions.SignatureMeaning, page, StringComparison.Ordinal);
        var response = await client.PostAsync($"{url}&handler=Approve", SignIn.Form([
            new("__RequestVerificationToken", SignIn.AntiforgeryToken(page)), new("approvedHash", submitted.SubmittedHash!)]), ct);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Empty(workflow.GetApprovals("alk-lbcl", draft.Number));
    }

    [Fact]
    public async Task ArticlePreview_PatientAudience_ShowsAudienceSwitchReferencesAndDisclaimer()
    {
        var ct = TestContext.Current.CancellationToken;
        var client = await world.ClientFor(SignIn.User("otto.ops"));
        var html = await client.GetStringAsync("/Revisions/Preview?id=alk-lbcl&n=1&audience=patient", ct);
        Assert.Contains("Which best describes you?", html, StringComparison.Ordinal);
        Assert.Contains("status-live", html, StringComparison.Ordinal);
        Assert.Contains("id=\"ref-5\"", html, StringComparison.Ordinal);
        Assert.Contains("healthcare professionals", html, StringComparison.Ordinal);
        Assert.Contains("value=\"patient\" checked", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuditTrail_FilteredByAction_ShowsChainVerification()
    {
        var ct = TestContext.Current.CancellationToken;
        var client = await world.ClientFor(SignIn.User("otto.ops"));
        var html = await client.GetStringAsync("/Audit?action=bootstrap-seeded", ct);
        Assert.Contains("Chain verified", html, StringComparison.Ordinal);
        Assert.Contains("bootstrap-seeded", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<td>draft-started</td>", html, StringComparison.Ordinal);
    }
}
