using System.Net;
using AlkPlatform.Guidelines.Workflow;
using AlkPlatform.Portal.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AlkPlatform.Portal.Tests;

/// <summary>The publish form, posted for real: a reason is required, shown beside its field, and recorded in the audit trail.</summary>
public sealed class PublishPageTests : IAsyncLifetime
{
    private readonly PortalWorld _world = new();

    public ValueTask InitializeAsync() => _world.InitializeAsync();

    public ValueTask DisposeAsync() => _world.DisposeAsync();

    [Fact]
    public async Task Publish_WithoutReason_IsRefusedBesideTheReasonFieldAndNothingGoesLive()
    {
        var ct = TestContext.Current.CancellationToken;
        var workflow = _world.Portal.Services.GetRequiredService<GuidelineWorkflow>();
        var approved = BoardMembers.ApprovedChange(workflow, "alk-lbcl", c => c with { ChangeSummary = "Publish without a reason" });
        var liveBefore = workflow.GetLiveRelease("alk-lbcl")!.ReleaseId;

        var pia = await _world.ClientFor(SignIn.User("pia.publisher"));
        var url = $"/Releases/Publish?id=alk-lbcl&n={approved.Number}";
        var page = await pia.GetStringAsync(url, ct);
        Assert.Contains("Reason (recorded in the audit trail)", page, StringComparison.Ordinal);
        var response = await pia.PostAsync(url, SignIn.Form([
            new("__RequestVerificationToken", SignIn.AntiforgeryToken(page)), new("Reason", "   "), new("Confirmed", "true")]), ct);
        var html = await response.Content.ReadAsStringAsync(ct);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("id=\"reason-error\"", html, StringComparison.Ordinal);
        Assert.Contains("aria-invalid=\"true\"", html, StringComparison.Ordinal);
        Assert.Equal(liveBefore, workflow.GetLiveRelease("alk-lbcl")!.ReleaseId);
        Assert.Equal(RevisionState.Approved, workflow.GetRevision("alk-lbcl", approved.Number).State);
    }

    [Fact]
    public async Task Publish_WithoutConfirmationOrReason_NamesBothAndKeepsNothing()
    {
        var ct = TestContext.Current.CancellationToken;
        var workflow = _world.Portal.Services.GetRequiredService<GuidelineWorkflow>();
        var approved = BoardMembers.ApprovedChange(workflow, "alk-lbcl", c => c with { ChangeSummary = "Publish unconfirmed" });

        var pia = await _world.ClientFor(SignIn.User("pia.publisher"));
        var url = $"/Releases/Publish?id=alk-lbcl&n={approved.Number}";
        var page = await pia.GetStringAsync(url, ct);
        var response = await pia.PostAsync(url, SignIn.Form([new("__RequestVerificationToken", SignIn.AntiforgeryToken(page))]), ct);
        var html = await response.Content.ReadAsStringAsync(ct);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("Tick the confirmation to publish", html, StringComparison.Ordinal);
        Assert.Contains("id=\"reason-error\"", html, StringComparison.Ordinal);
        Assert.Equal(RevisionState.Approved, workflow.GetRevision("alk-lbcl", approved.Number).State);
    }

    [Fact]
    public async Task Publish_WithReasonAndConfirmation_GoesLiveAndAuditsTheReason()
    {
        var ct = TestContext.Current.CancellationToken;
        var workflow = _world.Portal.Services.GetRequiredService<GuidelineWorkflow>();
        var approved = BoardMembers.ApprovedChange(workflow, "alk-lbcl", c => c with { ChangeSummary = "Publish with a reason" });

        var pia = await _world.ClientFor(SignIn.User("pia.publisher"));
        var url = $"/Releases/Publish?id=alk-lbcl&n={approved.Number}";
        var page = await pia.GetStringAsync(url, ct);
        var response = await pia.PostAsync(url, SignIn.Form([
            new("__RequestVerificationToken", SignIn.AntiforgeryToken(page)),
            new("Reason", "Board agreed the new wording on 3 March."),
            new("Confirmed", "true")]), ct);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(approved.Number, workflow.GetLiveRelease("alk-lbcl")!.RevisionNumber);
        Assert.Contains(workflow.GetAuditTrail("alk-lbcl"), e => e.Action == AuditActions.Published && e.RevisionNumber == approved.Number
            && e.ActorName == "Pia Publisher" && e.Reason!.Contains("Board agreed the new wording on 3 March.", StringComparison.Ordinal));
    }
}
