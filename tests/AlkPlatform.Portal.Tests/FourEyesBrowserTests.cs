using AlkPlatform.Guidelines.Workflow;
using AlkPlatform.Portal.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace AlkPlatform.Portal.Tests;

/// <summary>Four eyes across copies, in real Chromium: copying someone's unpublished wording does not let her approve it.</summary>
[Collection(nameof(BrowserCollection))]
public sealed class FourEyesBrowserTests : IAsyncLifetime
{
    private const string Id = "alk-lbcl";
    private readonly PortalWorld _world = new() { OnKestrel = true };
    private BrowserSession _browser = null!;

    public async ValueTask InitializeAsync()
    {
        await _world.InitializeAsync();
        _browser = await BrowserSession.StartAsync(_world.Portal.PagesOrigin!);
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        await _world.DisposeAsync();
    }

    [Fact]
    public async Task Approve_CopyOfHerOwnUnpublishedRevision_IsRefusedNamingHerAuthorship()
    {
        var workflow = _world.Portal.Services.GetRequiredService<GuidelineWorkflow>();

        // Ada writes revision 2 and submits it.
        var ada = await _browser.SignInAsync("ada.author@alk.example");
        await BrowserBoardSteps.DraftEditAndSubmitAsync(_browser, ada, Id, fromRevision: 1,
            "Clarify the alectinib evidence population.", " (Evidence from ALK+ ALCL.)");

        // Someone else copies it unchanged into revision 3 and submits that (Alex: on the demo board only Ada and the admin author).
        var alex = await _browser.SignInAsync("alex.admin@alk.example");
        await _browser.GoAsync(alex, $"/Guidelines/History?id={Id}");
        await alex.GetByRole(AriaRole.Button, new() { Name = "Start a new draft from revision 2" }).ClickAsync();
        await Assertions.Expect(alex.GetByRole(AriaRole.Status)).ToContainTextAsync("Revision 3 started from revision 2");
        await BrowserBoardSteps.SubmitAsync(alex, revision: 3);
        Assert.Equal(("Alex Admin", 2), (workflow.GetRevision(Id, 3).AuthorName, workflow.GetRevision(Id, 3).BasedOn));

        var rui = await _browser.SignInAsync("rui.reviewer@alk.example");
        await _browser.GoAsync(rui, $"/Reviews/Review?id={Id}&n=3");
        await rui.GetByRole(AriaRole.Button, new() { Name = "Start the review" }).ClickAsync();
        await Assertions.Expect(rui.GetByRole(AriaRole.Status)).ToContainTextAsync("Review started");

        // Ada, an approver too, tries to approve the copy of her own wording.
        await _browser.GoAsync(ada, $"/Reviews/Review?id={Id}&n=3");
        await ada.GetByLabel("I approve this content for clinical use", new() { Exact = false }).CheckAsync();
        await ada.GetByRole(AriaRole.Button, new() { Name = "Approve and sign" }).ClickAsync();

        await Assertions.Expect(ada.GetByRole(AriaRole.Alert)).ToContainTextAsync(
            "Ada Author wrote revision 2, from which revision 3 was copied; an approver must not have written or edited any revision " +
            "in its lineage since the last live release (revision 1).");
        await Assertions.Expect(ada.GetByRole(AriaRole.Heading, new() { Name = "Approvals: 0 of 2" })).ToBeVisibleAsync();
        Assert.Empty(workflow.GetApprovals(Id, 3));
        Assert.Equal(RevisionState.UnderReview, workflow.GetRevision(Id, 3).State);
    }
}
