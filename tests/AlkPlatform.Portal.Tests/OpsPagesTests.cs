using System.Net;
using System.Text.RegularExpressions;
using AlkPlatform.Contracts.Recommendation.V1;
using AlkPlatform.Portal.Tests.Infrastructure;
using Grpc.Core;

namespace AlkPlatform.Portal.Tests;

/// <summary>
/// The real recommendation service answers a few calls; the ops pages, signed in as the ops demo user through the real
/// OIDC flow, must show, filter, detail, export, replay and chart exactly those calls.
/// </summary>
public sealed class OpsWorld : IAsyncLifetime
{
    public const int WardCalls = 21;

    public LocalIdentityHost Identity { get; } = new();
    public RecommendationServiceHost Service { get; } = new();
    public PortalHost Portal { get; private set; } = null!;
    public HttpClient Otto { get; private set; } = null!;

    /// <summary>Answered calls, oldest first: 21 from ward-app, then 2 from clinic-app.</summary>
    public List<RecommendResponse> Ward { get; } = [];
    public List<RecommendResponse> Clinic { get; } = [];

    /// <summary>The one refused call: an unknown guideline.</summary>
    public string FailedEvaluationId { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        var ward = Service.Recommendations("ward-app");
        for (var i = 0; i < WardCalls; i++)
        {
            Ward.Add(await ward.RecommendAsync(RecommendationServiceHost.RelapsedPatient(50 + i, correlationId: $"bed-{i}")));
        }
        var clinic = Service.Recommendations("clinic-app");
        for (var i = 0; i < 2; i++)
        {
            Clinic.Add(await clinic.RecommendAsync(RecommendationServiceHost.RelapsedPatient(80 + i)));
        }
        var refused = await Assert.ThrowsAsync<RpcException>(async () =>
            await clinic.RecommendAsync(new RecommendRequest { GuidelineId = "no-such-guideline", Facts = new PatientFacts() }));
        FailedEvaluationId = refused.Trailers.GetValue("x-evaluation-id") ?? "";
        var card = Clinic[0].Cards[0];
        await Service.Feedback("clinic-app").SubmitFeedbackAsync(new SubmitFeedbackRequest
        {
            EvaluationId = Clinic[0].EvaluationId,
            CardId = card.Id,
            Outcome = FeedbackOutcome.Overridden,
            OverrideReasonCode = "patient-preference",
        });

        Portal = new PortalHost(Identity, Service.PortalSettings());
        Otto = await SignIn.AsAsync(Portal, SignIn.User("otto.ops"), CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        Otto.Dispose();
        await Portal.DisposeAsync();
        await Service.DisposeAsync();
        await Identity.DisposeAsync();
    }
}

public sealed partial class OpsPagesTests(OpsWorld world) : IClassFixture<OpsWorld>
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
        // Newest first: the refused call, then clinic-app's two, then ward-app's from the last one back.
        Assert.Equal(world.FailedEvaluationId, firstIds[0]);
        Assert.Equal(world.Clinic[1].EvaluationId, firstIds[1]);

        var next = WebUtility.HtmlDecode(NextPage().Match(first).Groups[1].Value);
        Assert.NotEmpty(next);
        var second = await GetOk(next);
        var secondIds = EvaluationLinks(second);
        Assert.DoesNotMatch(NextPage(), second);

        var all = world.Ward.Concat(world.Clinic).Select(r => r.EvaluationId).Append(world.FailedEvaluationId).ToHashSet();
        Assert.Equal(all, firstIds.Concat(secondIds).ToHashSet());
        Assert.Equal(all.Count, firstIds.Count + secondIds.Count);
    }

    [Fact]
    public async Task Logs_Filters_NarrowTheList()
    {
        var clinic = EvaluationLinks(await GetOk("/Ops/Logs?caller=clinic-app&status=ok"));
        Assert.Equal(world.Clinic.Select(r => r.EvaluationId).Reverse(), clinic);

        var errors = EvaluationLinks(await GetOk("/Ops/Logs?status=errors"));
        Assert.Equal([world.FailedEvaluationId], errors);

        var heavy = EvaluationLinks(await GetOk("/Ops/Logs?caller=ward-app&size=50&release=" + Uri.EscapeDataString(world.Ward[0].Release.ReleaseId)));
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
        Assert.Contains("ward-app", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evaluation_Unknown_IsANotFoundMessage()
    {
        using var response = await world.Otto.GetAsync("/Ops/Evaluation?id=nope", Ct);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("No evaluation &#x27;nope&#x27; is on record.", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
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
        using var csv = await world.Otto.GetAsync("/Ops/Export?handler=Download&format=csv&caller=ward-app", Ct);
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
        foreach (var chart in new[] { "chart-volume", "chart-errors", "chart-latency", "chart-overrides" })
        {
            Assert.Matches($"<svg class=\"chart\" id=\"{chart}\"[^>]*role=\"img\"", html);
        }
        Assert.Matches("<rect class=\"chart-bar\"", html);
        Assert.Matches("<polyline class=\"chart-line chart-s1\"|<circle class=\"chart-dot chart-s1\"", html);
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

    private static List<string> EvaluationLinks(string html) =>
        [.. EvaluationLink().Matches(html).Select(m => Uri.UnescapeDataString(m.Groups[1].Value))];

    [GeneratedRegex("href=\"/Ops/Evaluation\\?id=([^\"]+)\"")]
    private static partial Regex EvaluationLink();

    [GeneratedRegex("id=\"next-page\" rel=\"next\" href=\"([^\"]+)\"")]
    private static partial Regex NextPage();
}
