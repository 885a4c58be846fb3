using System.Net;
using AlkPlatform.Guidelines.Workflow;
using AlkPlatform.Portal.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AlkPlatform.Portal.Tests;

/// <summary>The rollback form, posted for real: only a release the board approved with a full quorum can go live again.</summary>
public sealed class RollbackPageTests : IAsyncLifetime
{
    private readonly PortalWorld _world = new();

    public ValueTask InitializeAsync() => _world.InitializeAsync();

    public ValueTask DisposeAsync() => _world.DisposeAsync();

    [Fact]
    public async Task Rollback_ToTheBootstrapSeedAfterABoardRelease_IsRefusedSayingAFreshQuorumIsNeeded()
    {
        var ct = TestContext.Current.CancellationToken;
        var workflow = _world.Portal.Services.GetRequiredService<GuidelineWorkflow>();
        var approved = BoardMembers.ApprovedChange(workflow, "alk-lbcl", c => c with { ChangeSummary = "Board release" });
        var live = workflow.Publish(BoardMembers.Actor("pia.publisher"), "alk-lbcl", approved.Number, "Board approved the new wording.");

        var pia = await _world.ClientFor(SignIn.User("pia.publisher"));
        var page = await pia.GetStringAsync("/Releases/Rollback?id=alk-lbcl", ct);
        Assert.Contains("Revision 1", page, StringComparison.Ordinal);
        var response = await pia.PostAsync("/Releases/Rollback?id=alk-lbcl", SignIn.Form([
            new("__RequestVerificationToken", SignIn.AntiforgeryToken(page)), new("ToRevision", "1"),
            new("Reason", "The new wording confuses the ward."), new("Confirmed", "true")]), ct);
        var html = await response.Content.ReadAsStringAsync(ct);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("Revision 1 of &#x27;alk-lbcl&#x27; was live with 0 of the 2 board approvals a release needs", html, StringComparison.Ordinal);
        Assert.Contains("It needs a fresh quorum: start a draft from revision 1 and take it through review and approval.", html, StringComparison.Ordinal);
        Assert.Equal(live.ReleaseId, workflow.GetLiveRelease("alk-lbcl")!.ReleaseId);
        Assert.Equal(2, workflow.ListReleaseEvents().Count);
    }
}
