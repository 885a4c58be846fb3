using AlkPlatform.Portal.Tests.Infrastructure;
using AlkPlatform.Testing;
using Microsoft.Playwright;

namespace AlkPlatform.Portal.Tests;

/// <summary>The ops pages in real Chromium against the real recommendation service: each page screenshotted and checked with axe-core.</summary>
[Collection(nameof(BrowserCollection))]
public sealed class OpsBrowserTests : IAsyncLifetime
{
    // The portal's world and the service share one identity provider: the ops pages' tokens must be ones the service accepts.
    private readonly LocalIdentityHost _identity = new();
    private RecommendationServiceHost _service = null!;
    private PortalWorld _world = null!;
    private BrowserSession _browser = null!;

    public async ValueTask InitializeAsync()
    {
        _service = new RecommendationServiceHost(identity: _identity);
        _service.StartOnKestrel();
        _world = await PortalWorld.StartAsync(_service.PortalSettings(), onKestrel: true, identity: _identity);
        _browser = await BrowserSession.StartAsync(_world.Portal.PagesOrigin!);
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        await _world.DisposeAsync();
        await _service.DisposeAsync();
    }

    [Fact]
    public async Task OpsPages_AsOps_ListDetailReplayChartsExport_AccessibleInChromium()
    {
        var ct = TestContext.Current.CancellationToken;
        var ward = _service.Recommendations("ward-app", LocalIdentityHost.WardDemoApp);
        for (var i = 0; i < 3; i++)
        {
            await ward.RecommendAsync(ReferencePatients.RelapsedRefractory(60 + i), cancellationToken: ct);
        }

        var otto = await _browser.SignInAsync("otto.ops@alk.example");
        await otto.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Ops" }).ClickAsync();
        await Assertions.Expect(otto.Locator("#health")).ToContainTextAsync("Serving");
        await BrowserSession.CheckPageAsync(otto, "ops-service");

        await otto.GetByRole(AriaRole.Link, new() { Name = "Evaluation log" }).ClickAsync();
        await otto.GetByLabel("Caller (verified app id)").FillAsync(LocalIdentityHost.WardDemoAppId);
        await otto.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await Assertions.Expect(otto.Locator("#records tbody tr")).ToHaveCountAsync(3);
        await BrowserSession.CheckPageAsync(otto, "ops-logs");

        await otto.Locator("#records tbody tr a").First.ClickAsync();
        await Assertions.Expect(otto.Locator("#input")).ToContainTextAsync("facts.weightKg");
        await otto.GetByRole(AriaRole.Button, new() { Name = "Replay this evaluation" }).ClickAsync();
        await Assertions.Expect(otto.Locator("#same-release-verdict")).ToContainTextAsync("Reproduced exactly");
        await BrowserSession.CheckPageAsync(otto, "ops-evaluation-replayed");

        await otto.GetByRole(AriaRole.Link, new() { Name = "Charts" }).ClickAsync();
        await Assertions.Expect(otto.Locator("svg#chart-volume rect.chart-bar").First).ToBeAttachedAsync();
        await BrowserSession.CheckPageAsync(otto, "ops-charts");

        // The export page's script counts the records as they stream in, then hands the file to the browser.
        await otto.GetByRole(AriaRole.Link, new() { Name = "Export" }).ClickAsync();
        await otto.GetByLabel("JSON lines", new() { Exact = false }).CheckAsync();
        var download = await otto.RunAndWaitForDownloadAsync(() => otto.GetByRole(AriaRole.Button, new() { Name = "Download export" }).ClickAsync());
        await Assertions.Expect(otto.Locator("#export-progress")).ToContainTextAsync("Done: 3 records");
        Assert.EndsWith(".jsonl", download.SuggestedFilename, StringComparison.Ordinal);
        await BrowserSession.CheckPageAsync(otto, "ops-export");

        // Narrow screens: the list and the charts stay readable at 375 px without sideways scrolling.
        var phone = await _browser.SignInAsync("alex.admin@alk.example", width: 375);
        foreach (var (name, path) in new[] { ("ops-logs-375", "/Ops/Logs"), ("ops-charts-375", "/Ops/Charts") })
        {
            await _browser.GoAsync(phone, path);
            await BrowserSession.CheckPageAsync(phone, name);
            var overflow = await phone.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth + 1");
            Assert.False(overflow, $"{name} scrolls sideways at 375 px");
        }
    }
}
