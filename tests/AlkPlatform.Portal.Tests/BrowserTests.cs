using AlkPlatform.Contracts.Recommendation.V1;
using AlkPlatform.Guidelines.Workflow;
using AlkPlatform.Portal.Tests.Infrastructure;
using AlkPlatform.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace AlkPlatform.Portal.Tests;

/// <summary>The board's journey in real Chromium, and every page screenshotted and checked with axe-core.</summary>
[Collection(nameof(BrowserCollection))]
public sealed class BrowserTests : IAsyncLifetime
{
    private const string Id = "alk-lbcl";
    private readonly PortalWorld _world = new() { OnKestrel = true };
    private BrowserSession _browser = null!;
    private readonly string _serviceData = Directory.CreateTempSubdirectory("alk-browser-service-").FullName;

    public async ValueTask InitializeAsync()
    {
        await _world.InitializeAsync();
        _browser = await BrowserSession.StartAsync(_world.Portal.PagesOrigin!);
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        await _world.DisposeAsync();
        try
        {
            Directory.Delete(_serviceData, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless.
        }
    }

    [Fact]
    public async Task BoardJourney_EditReviewReviseApprovePublish_InChromium()
    {
        var workflow = _world.Portal.Services.GetRequiredService<GuidelineWorkflow>();
        var ct = TestContext.Current.CancellationToken;
        // A recommendation service, its own process, follows the portal's release feed throughout the journey.
        await using var service = await RecommendationServiceProcess.StartAsync(_serviceData, _world.Portal.ServiceFollowingFeed(), ct, _world.Identity);

        // The author edits the seed guideline and submits.
        var ada = await _browser.SignInAsync("ada.author@alk.example");
        await BrowserBoardSteps.DraftEditAndSubmitAsync(_browser, ada, Id, fromRevision: 1,
            "Clarify the alectinib evidence population.", " (Evidence from ALK+ ALCL.)");

        // A reviewer requests changes on a statement.
        var rui = await _browser.SignInAsync("rui.reviewer@alk.example");
        await _browser.GoAsync(rui, $"/Reviews/Review?id={Id}&n=2");
        await rui.GetByRole(AriaRole.Button, new() { Name = "Start the review" }).ClickAsync();
        var statement = rui.Locator(".statement-editor").First;
        await statement.Locator("summary").ClickAsync();
        await statement.Locator("textarea").FillAsync("Name the trial population explicitly.");
        await statement.GetByRole(AriaRole.Button, new() { Name = "Request changes" }).ClickAsync();
        await Assertions.Expect(rui.GetByRole(AriaRole.Status)).ToContainTextAsync("Changes requested");
        Assert.Equal(RevisionState.ChangesRequested, workflow.GetRevision(Id, 2).State);

        // The author revises as a new draft and resubmits.
        await _browser.GoAsync(ada, $"/Revisions/Edit?id={Id}&n=2");
        await ada.GetByRole(AriaRole.Button, new() { Name = "Revise as a new draft" }).ClickAsync();
        await Assertions.Expect(ada.GetByRole(AriaRole.Status)).ToContainTextAsync("continues as draft revision 3");
        await ada.Locator("#st-text-0").FillAsync(await ada.Locator("#st-text-0").InputValueAsync() + " Trials enrolled ALK+ ALCL patients.");
        await ada.GetByRole(AriaRole.Button, new() { Name = "Save draft" }).ClickAsync();
        await BrowserBoardSteps.SubmitAsync(ada, revision: 3);
        await _browser.GoAsync(rui, $"/Reviews/Review?id={Id}&n=3");
        await rui.GetByRole(AriaRole.Button, new() { Name = "Start the review" }).ClickAsync();

        // The author's own approval is refused.
        await _browser.GoAsync(ada, $"/Reviews/Review?id={Id}&n=3");
        await ada.GetByLabel("I approve this content for clinical use", new() { Exact = false }).CheckAsync();
        await ada.GetByRole(AriaRole.Button, new() { Name = "Approve and sign" }).ClickAsync();
        await Assertions.Expect(ada.GetByRole(AriaRole.Alert)).ToContainTextAsync("Not done");
        Assert.Empty(workflow.GetApprovals(Id, 3));

        // Two distinct approvers approve.
        foreach (var approver in new[] { "amira.approver@alk.example", "ben.approver@alk.example" })
        {
            var page = await _browser.SignInAsync(approver);
            await _browser.GoAsync(page, $"/Reviews/Review?id={Id}&n=3");
            await page.GetByLabel("I approve this content for clinical use", new() { Exact = false }).CheckAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Approve and sign" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Approved");
        }
        Assert.Equal(RevisionState.Approved, workflow.GetRevision(Id, 3).State);

        // A publisher publishes; the feed hub (the portal's release feed) now carries revision 3.
        var pia = await _browser.SignInAsync("pia.publisher@alk.example");
        await _browser.GoAsync(pia, $"/Releases/Publish?id={Id}&n=3");
        await pia.GetByLabel("Reason (recorded in the audit trail)").FillAsync("Two approvers signed the revised dosing.");
        await pia.GetByRole(AriaRole.Checkbox).CheckAsync();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await pia.GetByRole(AriaRole.Button, new() { Name = "Publish" }).ClickAsync();
        await Assertions.Expect(pia.GetByRole(AriaRole.Status)).ToContainTextAsync("is live");
        Assert.Equal(3, workflow.GetLiveRelease(Id)!.RevisionNumber);
        Assert.Equal(3, workflow.Feed.LiveReleases.Single(r => r.GuidelineId == Id).RevisionNumber);

        // The service answers from the newly published release.
        // Until then it served nothing: the portal's bootstrap seed has no board quorum, so the service refused it.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        var listed = await service.Client.ListGuidelinesAsync(new ListGuidelinesRequest(), cancellationToken: ct);
        while (!listed.Guidelines.Any(g => g.Release.RevisionNumber == 3) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10, ct);
            listed = await service.Client.ListGuidelinesAsync(new ListGuidelinesRequest(), cancellationToken: ct);
        }
        var answer = await service.Client.RecommendAsync(ReferencePatients.RelapsedRefractory70Kg, cancellationToken: ct);
        await File.AppendAllTextAsync(Path.Combine(AppContext.BaseDirectory, "publish-to-live.txt"),
            $"{DateTimeOffset.UtcNow:O} browser publish click → service answered from revision 3 in {clock.ElapsedMilliseconds} ms{Environment.NewLine}", ct);
        Assert.Equal(3, answer.Release.RevisionNumber);
        Assert.Equal(workflow.GetLiveRelease(Id)!.ContentHash, answer.Release.ContentHash);
    }

    [Fact]
    public async Task EveryPage_Screenshot_HasNoSeriousOrCriticalAxeViolations()
    {
        var workflow = _world.Portal.Services.GetRequiredService<GuidelineWorkflow>();
        var approved = BoardMembers.ApprovedChange(workflow, Id, c => c with { ChangeSummary = "Sweep: approved change" });
        var draft = workflow.StartDraft(BoardMembers.Actor("ada.author"), Id, approved.Number);

        var alex = await _browser.SignInAsync("alex.admin@alk.example");
        (string Name, string Path)[] pages =
        [
            ("dashboard", "/"),
            ("guidelines", "/Guidelines"),
            ("history", $"/Guidelines/History?id={Id}"),
            ("edit", $"/Revisions/Edit?id={Id}&n={draft.Number}"),
            ("submit", $"/Revisions/Submit?id={Id}&n={draft.Number}"),
            ("preview-clinician", $"/Revisions/Preview?id={Id}&n={approved.Number}"),
            ("preview-patient", $"/Revisions/Preview?id={Id}&n={approved.Number}&audience=patient"),
            ("compare-with-live", $"/Revisions/Compare?id={Id}&to={approved.Number}&live=true"),
            ("impact", $"/Revisions/Impact?id={Id}&n={approved.Number}"),
            ("reviews", "/Reviews"),
            ("review", $"/Reviews/Review?id={Id}&n={approved.Number}"),
            ("publish", $"/Releases/Publish?id={Id}&n={approved.Number}"),
            ("rollback", $"/Releases/Rollback?id={Id}"),
            ("retire", $"/Releases/Retire?id={Id}"),
            ("audit", "/Audit"),
            ("access-denied", "/Account/AccessDenied"),
            ("sign-out", "/Account/SignOut"),
        ];
        foreach (var (name, path) in pages)
        {
            await _browser.GoAsync(alex, path);
            await BrowserSession.CheckPageAsync(alex, name);
        }

        // Narrow screens: the same pages must stay readable at 375 px.
        var phone = await _browser.SignInAsync("amira.approver@alk.example", width: 375);
        foreach (var (name, path) in new[] { ("dashboard-375", "/"), ("review-375", $"/Reviews/Review?id={Id}&n={approved.Number}"), ("preview-375", $"/Revisions/Preview?id={Id}&n={approved.Number}") })
        {
            await _browser.GoAsync(phone, path);
            await BrowserSession.CheckPageAsync(phone, name);
            var overflow = await phone.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth + 1");
            Assert.False(overflow, $"{name} scrolls sideways at 375 px");
        }

        var nora = await _browser.SignInAsync("nora.norole@alk.example");
        await BrowserSession.CheckPageAsync(nora, "signed-in-without-role");
        var anonymous = await _browser.NewPageAsync();
        await _browser.GoAsync(anonymous, "/Revisions/Compare?id=alk-lbcl");
        await BrowserSession.CheckPageAsync(anonymous, "sign-in");
    }
}
