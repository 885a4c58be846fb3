using System.Net;
using AlkPlatform.Portal.Tests.Infrastructure;
using AlkPlatform.Testing;
using AngleSharp.Html.Parser;

namespace AlkPlatform.Portal.Tests;

public sealed class OpsPagesTests(OpsWorld world) : IClassFixture<OpsWorld>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Service_AsOps_ShowsHealthAndTheReleaseEachGuidelineServes()
    {
        var html = await GetOk("/Ops");
        Assert.Contains("Serving", html, StringComparison.Ordinal);
        Assert.Contains(world.Ward[0].Release.ReleaseId, html, StringComparison.Ordinal);
        Assert.Contains("Not configured: serving the bundled seed release", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logs_NewestFirstInKeysetPages_ShowEveryCall()
    {
        var first = await GetOk("/Ops/Logs?size=20");
        var firstIds = EvaluationLinks(first);
        Assert.Equal(20, firstIds.Count);
        // Newest first: the refused call, then the EHR demo app's two, then the ward demo app's from the last one back.
        Assert.Equal(world.FailedEvaluationId, firstIds[0]);
        Assert.Equal(world.Clinic[1].EvaluationId, firstIds[1]);

        var next = NextPageLink(first);
        Assert.NotNull(next);
        Assert.NotEmpty(next);
        var second = await GetOk(next);
        var secondIds = EvaluationLinks(second);
        Assert.Null(NextPageLink(second));

        var all = world.Ward.Concat(world.Clinic).Select(r => r.EvaluationId).Append(world.FailedEvaluationId).ToHashSet();
        Assert.Equal(all, firstIds.Concat(secondIds).ToHashSet());
        Assert.Equal(all.Count, firstIds.Count + secondIds.Count);
    }

    [Fact]
    public async Task Logs_Filters_NarrowTheList()
    {
        var clinic = EvaluationLinks(await GetOk($"/Ops/Logs?caller={LocalIdentityHost.EhrDemoAppId}&status=ok"));
        Assert.Equal(world.Clinic.Select(r => r.EvaluationId).Reverse(), clinic);

        var errors = EvaluationLinks(await GetOk("/Ops/Logs?status=errors"));
        Assert.Equal([world.FailedEvaluationId], errors);

        var heavy = EvaluationLinks(await GetOk($"/Ops/Logs?caller={LocalIdentityHost.WardDemoAppId}&size=50&release=" + Uri.EscapeDataString(world.Ward[0].Release.ReleaseId)));
        Assert.Equal(OpsWorld.WardCalls, heavy.Count);

        var card = world.Ward[0].Cards[0];
        var withCard = EvaluationLinks(await GetOk($"/Ops/Logs?size=50&card={Uri.EscapeDataString(card.Id)}"));
        Assert.Contains(world.Ward[0].EvaluationId, withCard);
        Assert.DoesNotContain(world.FailedEvaluationId, withCard);

        var none = await GetOk("/Ops/Logs?minLatencyMs=600000");
        Assert.Contains("No evaluation matches the filter.", none, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logs_InvalidFilter_SaysWhatToFix()
    {
        using var response = await world.Otto.GetAsync("/Ops/Logs?from=2026-01-02T00:00&to=2026-01-01T00:00", Ct);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("To must be later than From.", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evaluation_Detail_ShowsInputFactsCardsRulesReleaseAndMasking()
    {
        var answer = world.Ward[3];
        var html = WebUtility.HtmlDecode(await GetOk($"/Ops/Evaluation?id={answer.EvaluationId}"));
        Assert.Contains("facts.weightKg", html, StringComparison.Ordinal);
        Assert.Contains(">53<", html, StringComparison.Ordinal);
        Assert.Contains("LINE_OF_THERAPY_RELAPSED_REFRACTORY", html, StringComparison.Ordinal);
        Assert.All(answer.Cards, c => Assert.Contains(c.Id, html, StringComparison.Ordinal));
        Assert.All(answer.Explanation, r => Assert.Contains(r.RuleId, html, StringComparison.Ordinal));
        Assert.Contains(answer.Release.ReleaseId, html, StringComparison.Ordinal);
        Assert.Contains(answer.Release.ContentHash, html, StringComparison.Ordinal);
        Assert.Contains("correlation_id:redact", html, StringComparison.Ordinal);
        Assert.DoesNotContain("bed-3", html, StringComparison.Ordinal);
        Assert.Contains($"Ward demo app ({LocalIdentityHost.WardDemoAppId})", html, StringComparison.Ordinal);
        Assert.Contains("“ward-app” (claimed)", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evaluation_Unknown_IsANotFoundMessage()
    {
        var unknown = Guid.CreateVersion7().ToString();
        using var response = await world.Otto.GetAsync($"/Ops/Evaluation?id={unknown}", Ct);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains($"No evaluation &#x27;{unknown}&#x27; is on record.", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evaluation_IdThatIsNotAnEvaluationId_IsRefusedNamingTheField()
    {
        using var response = await world.Otto.GetAsync("/Ops/Evaluation?id=nope", Ct);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("evaluation_id", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_PostedWithAntiforgery_ShowsReproducedExactlyAndTheLiveComparison()
    {
        var id = world.Clinic[1].EvaluationId;
        var page = await GetOk($"/Ops/Evaluation?id={id}");
        using var response = await world.Otto.PostAsync($"/Ops/Evaluation?id={id}&handler=Replay",
            SignIn.Form([new("__RequestVerificationToken", SignIn.AntiforgeryToken(page))]), Ct);
        var html = await response.Content.ReadAsStringAsync(Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Reproduced exactly", html, StringComparison.Ordinal);
        Assert.Contains("No change:", html, StringComparison.Ordinal);

        // Without the token the post is refused.
        using var forged = await world.Otto.PostAsync($"/Ops/Evaluation?id={id}&handler=Replay", SignIn.Form([]), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
    }

    [Fact]
    public async Task Export_CsvAndJsonLines_DownloadEveryMatchingRow()
    {
        using var csv = await world.Otto.GetAsync($"/Ops/Export?handler=Download&format=csv&caller={LocalIdentityHost.WardDemoAppId}", Ct);
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", csv.Content.Headers.ContentDisposition?.DispositionType);
        var lines = (await csv.Content.ReadAsStringAsync(Ct)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("evaluation_id,occurred_at,", lines[0], StringComparison.Ordinal);
        // Oldest first.
        Assert.Equal(world.Ward.Select(r => r.EvaluationId), lines.Skip(1).Select(l => l.Split(',')[0]));

        using var jsonl = await world.Otto.GetAsync("/Ops/Export?handler=Download&format=jsonl&status=errors", Ct);
        Assert.Equal("application/x-ndjson", jsonl.Content.Headers.ContentType?.MediaType);
        var record = Assert.Single((await jsonl.Content.ReadAsStringAsync(Ct)).Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(world.FailedEvaluationId, record, StringComparison.Ordinal);
        Assert.Contains("\"status_code\":5", record, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Charts_RenderServerSideSvg_ForVolumeLatencyErrorsAndOverrides()
    {
        var html = await GetOk("/Ops/Charts");
        var page = new HtmlParser().ParseDocument(html);
        foreach (var chart in new[] { "chart-volume", "chart-errors", "chart-latency", "chart-overrides" })
        {
            Assert.True(page.QuerySelector($"svg.chart#{chart}[role=img]") is not null, $"no <svg class=chart id={chart} role=img>");
        }
        Assert.NotEmpty(page.QuerySelectorAll("svg rect.chart-bar"));
        Assert.NotEmpty(page.QuerySelectorAll("svg polyline.chart-line.chart-s1, svg circle.chart-dot.chart-s1"));
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        // 24 evaluations, one refused; the single piece of feedback was an override.
        Assert.Contains("<dd>24</dd>", html, StringComparison.Ordinal);
        Assert.Contains("<dd>1 (4.2%)</dd>", html, StringComparison.Ordinal);
        Assert.Contains("<td>100.0%</td>", html, StringComparison.Ordinal);
        Assert.Contains("patient-preference (1)", html, StringComparison.Ordinal);
    }

    private async Task<string> GetOk(string path)
    {
        using var response = await world.Otto.GetAsync(path, Ct);
        var html = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {html}");
        return html;
    }

    private const string EvaluationHref = "/Ops/Evaluation?id=";

    /// <summary>The evaluation ids the page links to, in page order.</summary>
    private static List<string> EvaluationLinks(string html) =>
        [.. new HtmlParser().ParseDocument(html).QuerySelectorAll($"[href^='{EvaluationHref}']")
            .Select(link => Uri.UnescapeDataString(link.GetAttribute("href")![EvaluationHref.Length..]))];

    private static string? NextPageLink(string html) =>
        new HtmlParser().ParseDocument(html).QuerySelector("a#next-page[rel=next]")?.GetAttribute("href");
}
