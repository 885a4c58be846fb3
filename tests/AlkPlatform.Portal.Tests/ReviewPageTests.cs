using System.Net;
using AlkPlatform.Guidelines.Workflow;
using AlkPlatform.Portal.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AlkPlatform.Portal.Tests;

/// <summary>
/// The review page (/Reviews/Review) through its real forms: approvals the domain refuses, and replies threaded under
/// the comment they answer.
/// </summary>
public sealed class ReviewPageTests : IAsyncLifetime
{
    private readonly PortalWorld _world = new();

    public ValueTask InitializeAsync() => _world.InitializeAsync();

    public ValueTask DisposeAsync() => _world.DisposeAsync();

    [Fact]
    public async Task Approve_ByRevisionAuthor_IsRefusedWithReason()
    {
        var ct = TestContext.Current.CancellationToken;
        var workflow = _world.Portal.Services.GetRequiredService<GuidelineWorkflow>();
        var ada = BoardMembers.Actor("ada.author");
        var draft = workflow.StartDraft(ada, "alk-lbcl", 1);
        draft = workflow.SaveDraft(ada, "alk-lbcl", draft.Number, draft.Content with { ChangeSummary = "self approval attempt" }, draft.SaveNumber);
        var submitted = workflow.Submit(ada, "alk-lbcl", draft.Number, draft.SaveNumber);
        workflow.StartReview(BoardMembers.Actor("rui.reviewer"), "alk-lbcl", draft.Number);

        var client = await _world.ClientFor(SignIn.User("ada.author"));
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
        var workflow = _world.Portal.Services.GetRequiredService<GuidelineWorkflow>();
        var ada = BoardMembers.Actor("ada.author");
        var draft = workflow.StartDraft(ada, "alk-lbcl", 1);
        var submitted = workflow.Submit(ada, "alk-lbcl", draft.Number, draft.SaveNumber);
        workflow.StartReview(BoardMembers.Actor("rui.reviewer"), "alk-lbcl", draft.Number);

        var client = await _world.ClientFor(SignIn.User("amira.approver"));
        var url = $"/Reviews/Review?id=alk-lbcl&n={draft.Number}";
        var page = await client.GetStringAsync(url, ct);
        Assert.Contains(WorkflowOptions.SignatureMeaning, page, StringComparison.Ordinal);
        var response = await client.PostAsync($"{url}&handler=Approve", SignIn.Form([
            new("__RequestVerificationToken", SignIn.AntiforgeryToken(page)), new("approvedHash", submitted.SubmittedHash!)]), ct);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Empty(workflow.GetApprovals("alk-lbcl", draft.Number));
    }

    [Fact]
    public async Task Reply_ToAStatementComment_IsStoredAsItsReply_AndShownUnderIt()
    {
        var ct = TestContext.Current.CancellationToken;
        var workflow = _world.Portal.Services.GetRequiredService<GuidelineWorkflow>();
        var author = BoardMembers.Actor("ada.author");
        var draft = workflow.StartDraft(author, "alk-lbcl", workflow.ListGuidelines().Single(g => g.GuidelineId == "alk-lbcl").LiveRevision);
        draft = workflow.SaveDraft(author, "alk-lbcl", draft.Number, draft.Content with { ChangeSummary = "Reply test" }, draft.SaveNumber);
        workflow.Submit(author, "alk-lbcl", draft.Number, draft.SaveNumber);
        workflow.StartReview(BoardMembers.Actor("rui.reviewer"), "alk-lbcl", draft.Number);
        var question = workflow.AddComment(BoardMembers.Actor("rui.reviewer"), "alk-lbcl", draft.Number,
            "Is the 35 kg threshold from the ALCL trial?", statementId: "rr-alectinib-dose");

        var amira = await _world.ClientFor(SignIn.User("amira.approver"));
        var url = $"/Reviews/Review?id=alk-lbcl&n={draft.Number}";
        var page = await amira.GetStringAsync(url, ct);
        Assert.Contains($"id=\"reply-{question.Id}\"", page, StringComparison.Ordinal);
        var response = await amira.PostAsync(url + "&handler=Comment", SignIn.Form([
            new("__RequestVerificationToken", SignIn.AntiforgeryToken(page)),
            new("replyTo", question.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new("text", "Yes: reference 2 is the phase II ALCL trial.")]), ct);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var reply = Assert.Single(workflow.GetComments("alk-lbcl", draft.Number), c => c.ParentId == question.Id);
        Assert.Equal("rr-alectinib-dose", reply.StatementId);
        Assert.Equal("Amira Approver", reply.AuthorName);
        var after = await amira.GetStringAsync(url, ct);
        var questionAt = after.IndexOf("Is the 35 kg threshold from the ALCL trial?", StringComparison.Ordinal);
        var replyAt = after.IndexOf("Yes: reference 2 is the phase II ALCL trial.", StringComparison.Ordinal);
        Assert.True(questionAt >= 0 && replyAt > questionAt, "the reply is shown after the comment it answers");
        Assert.Contains("class=\"replies\"", after[questionAt..replyAt], StringComparison.Ordinal);
    }
}
