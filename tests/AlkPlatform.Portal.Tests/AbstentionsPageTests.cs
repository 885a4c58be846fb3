using System.Net;
using AlkPlatform.Contracts.Recommendation.V1;
using AlkPlatform.Portal.Tests.Infrastructure;
using AlkPlatform.Testing;
using AngleSharp.Html.Parser;

namespace AlkPlatform.Portal.Tests;

/// <summary>The board's to-do list: the real service refuses some questions, and the ops page lists them through the ops API.</summary>
public sealed class AbstentionsPageTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Abstentions_AsOps_ListTheMostFrequentUnknownTermsWithExampleQuestions()
    {
        await using var identity = new LocalIdentityHost();
        await using var service = new RecommendationServiceHost(new Dictionary<string, string>
        {
            ["EvaluationLogs:Masking:question"] = "Keep",
            ["EvaluationLogs:Masking:unknown_terms"] = "Keep",
        }, identity: identity);
        service.StartOnKestrel();
        var ask = service.Recommendations("ward-app");
        var answered = await ask.AskAsync(new AskRequest { Question = "What dose of alectinib?" }, cancellationToken: Ct);
        var glofitamab = await ask.AskAsync(new AskRequest { Question = "What dose of glofitamab is recommended?" }, cancellationToken: Ct);
        await ask.AskAsync(new AskRequest { Question = "Is glofitamab better than brigatinib?" }, cancellationToken: Ct);
        await ask.AskAsync(new AskRequest { Question = "What is the dose of lenalidomide?" }, cancellationToken: Ct);
        Assert.True(answered.Covered);
        await using var world = await PortalWorld.StartAsync(service.PortalSettings(), identity: identity);
        var otto = await world.ClientFor(SignIn.User("otto.ops"));

        using var response = await otto.GetAsync("/Ops/Abstentions", Ct);
        var html = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = new HtmlParser().ParseDocument(html);
        var totals = page.QuerySelectorAll("#abstention-totals dd").Select(dd => dd.TextContent).ToList();
        Assert.Equal(["4", "3"], totals.Take(2));
        var rows = page.QuerySelectorAll("#unknown-terms tbody tr").Select(r => r.QuerySelectorAll("td").Select(td => td.TextContent.Trim()).ToList()).ToList();
        Assert.Equal([("glofitamab", "2"), ("brigatinib", "1")], rows.Select(r => (r[0], r[1])));
        Assert.Contains("What dose of glofitamab is recommended?", rows[0][2], StringComparison.Ordinal);
        Assert.NotNull(page.QuerySelector($"#unknown-terms a[href='/Ops/Evaluation?id={glofitamab.EvaluationId}']"));
        Assert.Contains("dose + lenalidomide", page.GetElementById("uncovered")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Abstentions_WithTheLogsDefaultMasking_ShowNoTermOrQuestionTyped()
    {
        await using var identity = new LocalIdentityHost();
        await using var service = new RecommendationServiceHost(identity: identity);
        service.StartOnKestrel();
        await service.Recommendations().AskAsync(new AskRequest { Question = "Can Mr Zebedee take alectinib?" }, cancellationToken: Ct);
        await using var world = await PortalWorld.StartAsync(service.PortalSettings(), identity: identity);
        var otto = await world.ClientFor(SignIn.User("otto.ops"));

        var html = await otto.GetStringAsync("/Ops/Abstentions", Ct);

        Assert.DoesNotContain("Zebedee", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("[masked]", new HtmlParser().ParseDocument(html).GetElementById("unknown-terms")!.TextContent, StringComparison.Ordinal);
    }
}
