using System.Globalization;
using System.Net;
using System.Net.Sockets;
using AlkPlatform.Portal.Tests.Infrastructure;
using AlkPlatform.Testing;
using AngleSharp.Html.Parser;

namespace AlkPlatform.Portal.Tests;

/// <summary>
/// Several replicas of the recommendation service, each with its own evaluation log: the ops pages ask every one of them,
/// merge what they answer, say which replica each row came from, and name a replica that could not be asked.
/// </summary>
public sealed class OpsReplicasTests
{
    private const string EvaluationHref = "/Ops/Evaluation?id=";

    /// <summary>Two and a bit pages of twenty, so a replica is read from the middle of its page more than once.</summary>
    private const int Calls = 45;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Logs_TwoReplicas_ShowBothReplicasEvaluationsNewestFirstWithTheirReplica_AcrossPages()
    {
        var identity = new LocalIdentityHost();
        await using var first = new RecommendationServiceHost(identity: identity);
        await using var second = new RecommendationServiceHost(identity: identity);
        first.StartOnKestrel();
        second.StartOnKestrel();
        // Calls alternate between the replicas, a few more on the first, so the merged log interleaves them.
        var answeredBy = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < Calls; i++)
        {
            var replica = i % 2 == 0 || i > 33 ? first : second;
            var answer = await replica.Recommendations("ward-app", LocalIdentityHost.WardDemoApp).RecommendAsync(ReferencePatients.RelapsedRefractory(40 + i), cancellationToken: Ct);
            answeredBy[answer.EvaluationId] = replica.Address!.Authority;
        }
        await using var world = await PortalWorld.StartAsync(Settings(first.Address!, second.Address!), identity: identity);
        var otto = await world.ClientFor(SignIn.User("otto.ops"));

        // Pages of twenty: every evaluation of both replicas exactly once, newest first across the pages, each with its replica.
        var rows = new List<LogRow>();
        string? link = "/Ops/Logs?size=20";
        var pages = 0;
        for (; link is not null && pages < 10; pages++)
        {
            var html = await GetOkAsync(otto, link);
            var page = Rows(html);
            Assert.True(page.Count <= 20, $"{link}: {page.Count} rows");
            Assert.DoesNotContain("id=\"unreachable-replicas\"", html, StringComparison.Ordinal);
            rows.AddRange(page);
            link = NextPageLink(html);
        }
        Assert.Equal(answeredBy.Keys.Order(StringComparer.Ordinal), rows.Select(r => r.EvaluationId).Order(StringComparer.Ordinal));
        Assert.All(rows, r => Assert.Equal(answeredBy[r.EvaluationId], r.Replica));
        Assert.Equal(rows.OrderByDescending(r => r.OccurredAt).Select(r => r.OccurredAt), rows.Select(r => r.OccurredAt));
        Assert.Equal(3, pages);
        Assert.Equal(2, rows.Take(20).Select(r => r.Replica).Distinct().Count());

        // The detail page finds an evaluation on the replica that logged it, and names that replica.
        var onSecond = answeredBy.First(a => a.Value == second.Address!.Authority).Key;
        var detail = new HtmlParser().ParseDocument(await GetOkAsync(otto, EvaluationHref + onSecond));
        Assert.Equal(second.Address!.Authority, detail.QuerySelector("#replica code")?.TextContent);

        // The charts count both replicas' evaluations.
        var charts = new HtmlParser().ParseDocument(await GetOkAsync(otto, "/Ops/Charts"));
        Assert.Equal(Calls.ToString(CultureInfo.InvariantCulture), charts.QuerySelector("#totals div:first-child dd")?.TextContent);
    }

    [Fact]
    public async Task OpsPages_OneReplicaDown_NameItAndShowTheOthersEvaluations()
    {
        var identity = new LocalIdentityHost();
        await using var up = new RecommendationServiceHost(identity: identity);
        up.StartOnKestrel();
        var answer = await up.Recommendations("ward-app", LocalIdentityHost.WardDemoApp).RecommendAsync(ReferencePatients.RelapsedRefractory70Kg, cancellationToken: Ct);
        var down = new Uri($"http://127.0.0.1:{ClosedPort()}");
        await using var world = await PortalWorld.StartAsync(Settings(up.Address!, down), identity: identity);
        var otto = await world.ClientFor(SignIn.User("otto.ops"));

        foreach (var path in new[] { "/Ops", "/Ops/Logs", "/Ops/Charts", "/Ops/Abstentions", EvaluationHref + answer.EvaluationId })
        {
            var page = new HtmlParser().ParseDocument(await GetOkAsync(otto, path));
            var missing = page.QuerySelector("#unreachable-replicas");
            Assert.True(missing is not null, $"{path} does not say a replica is missing");
            Assert.Contains("Partial results", missing.TextContent, StringComparison.Ordinal);
            Assert.Equal([down.Authority], missing.QuerySelectorAll("code.replica").Select(c => c.TextContent));
            Assert.Contains("cannot be reached", missing.TextContent, StringComparison.Ordinal);
        }
        var logs = Rows(await GetOkAsync(otto, "/Ops/Logs"));
        Assert.Equal([answer.EvaluationId], logs.Select(r => r.EvaluationId));
        Assert.Equal(up.Address!.Authority, logs[0].Replica);

        // An export missing a replica's records would be a silent gap: it is refused, naming the replica.
        using var export = await otto.GetAsync("/Ops/Export?handler=Download", Ct);
        var refusal = await export.Content.ReadAsStringAsync(Ct);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, export.StatusCode);
        Assert.Contains(down.Authority, refusal, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logs_ReplicasFoundThroughTheirDnsName_AreAskedBesideTheConfiguredOnes()
    {
        var identity = new LocalIdentityHost();
        await using var configured = new RecommendationServiceHost(identity: identity);
        await using var discovered = new RecommendationServiceHost(identity: identity);
        configured.StartOnKestrel();
        discovered.StartOnKestrel();
        var first = await configured.Recommendations().RecommendAsync(ReferencePatients.RelapsedRefractory70Kg, cancellationToken: Ct);
        var second = await discovered.Recommendations().RecommendAsync(ReferencePatients.RelapsedRefractory70Kg, cancellationToken: Ct);
        // "localhost" stands in for a headless Service's name: it resolves to the address the second replica listens on.
        await using var world = await PortalWorld.StartAsync(new Dictionary<string, string>
        {
            ["RecommendationService:Addresses:0"] = configured.Address!.ToString(),
            ["RecommendationService:ReplicasAddress"] = $"http://localhost:{discovered.Address!.Port}",
            ["RecommendationService:Scope"] = $"api://{LocalIdentityHost.ServiceClientId}/.default",
        }, identity: identity);
        var otto = await world.ClientFor(SignIn.User("otto.ops"));

        var rows = Rows(await GetOkAsync(otto, "/Ops/Logs"));
        Assert.Contains(new LogRowKey(first.EvaluationId, configured.Address.Authority), rows.Select(r => new LogRowKey(r.EvaluationId, r.Replica)));
        Assert.Contains(new LogRowKey(second.EvaluationId, $"127.0.0.1:{discovered.Address.Port}"), rows.Select(r => new LogRowKey(r.EvaluationId, r.Replica)));
    }

    [Fact]
    public async Task Logs_ReplicaListedByNameAndFoundThroughDns_IsAskedOnceUnderItsName()
    {
        var identity = new LocalIdentityHost();
        await using var service = new RecommendationServiceHost(identity: identity);
        service.StartOnKestrel();
        var answer = await service.Recommendations().RecommendAsync(ReferencePatients.RelapsedRefractory70Kg, cancellationToken: Ct);
        var byName = $"localhost:{service.Address!.Port}";
        await using var world = await PortalWorld.StartAsync(new Dictionary<string, string>
        {
            ["RecommendationService:Addresses:0"] = $"http://{byName}",
            ["RecommendationService:ReplicasAddress"] = $"http://{byName}",
            ["RecommendationService:Scope"] = $"api://{LocalIdentityHost.ServiceClientId}/.default",
        }, identity: identity);
        var otto = await world.ClientFor(SignIn.User("otto.ops"));

        var rows = Rows(await GetOkAsync(otto, "/Ops/Logs"));
        Assert.Equal([new LogRowKey(answer.EvaluationId, byName)], rows.Select(r => new LogRowKey(r.EvaluationId, r.Replica)));
    }

    [Fact]
    public async Task OpsPages_ReplicasDnsNameDoesNotResolve_NameItAndShowTheConfiguredReplicas()
    {
        var identity = new LocalIdentityHost();
        await using var configured = new RecommendationServiceHost(identity: identity);
        configured.StartOnKestrel();
        var answer = await configured.Recommendations().RecommendAsync(ReferencePatients.RelapsedRefractory70Kg, cancellationToken: Ct);
        await using var world = await PortalWorld.StartAsync(new Dictionary<string, string>
        {
            ["RecommendationService:Addresses:0"] = configured.Address!.ToString(),
            // The .invalid top-level domain never resolves.
            ["RecommendationService:ReplicasAddress"] = "http://replicas.alkplatform.invalid:8080",
            ["RecommendationService:Scope"] = $"api://{LocalIdentityHost.ServiceClientId}/.default",
        }, identity: identity);
        var otto = await world.ClientFor(SignIn.User("otto.ops"));

        var html = await GetOkAsync(otto, "/Ops/Logs");
        var missing = new HtmlParser().ParseDocument(html).QuerySelector("#unreachable-replicas");
        Assert.True(missing is not null, "the page does not say replicas may be missing");
        Assert.Equal(["replicas.alkplatform.invalid:8080"], missing.QuerySelectorAll("code.replica").Select(c => c.TextContent));
        Assert.Contains("did not resolve", missing.TextContent, StringComparison.Ordinal);
        Assert.Equal([answer.EvaluationId], Rows(html).Select(r => r.EvaluationId));
    }

    private sealed record LogRowKey(string EvaluationId, string Replica);

    private static Dictionary<string, string> Settings(Uri first, Uri second) => new()
    {
        ["RecommendationService:Addresses:0"] = first.ToString(),
        ["RecommendationService:Addresses:1"] = second.ToString(),
        ["RecommendationService:Scope"] = $"api://{LocalIdentityHost.ServiceClientId}/.default",
        ["RecommendationService:CallTimeout"] = "00:00:05",
    };

    private static async Task<string> GetOkAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path, Ct);
        var html = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {html}");
        return html;
    }

    private sealed record LogRow(string EvaluationId, DateTimeOffset OccurredAt, string Replica);

    private static List<LogRow> Rows(string html) =>
        [.. new HtmlParser().ParseDocument(html).QuerySelectorAll("#records tbody tr").Select(tr => new LogRow(
            Uri.UnescapeDataString(tr.QuerySelector($"a[href^='{EvaluationHref}']")!.GetAttribute("href")![EvaluationHref.Length..]),
            DateTimeOffset.Parse(tr.QuerySelector("time")!.GetAttribute("datetime")!, CultureInfo.InvariantCulture),
            tr.QuerySelector("code.replica")!.TextContent))];

    private static string? NextPageLink(string html) =>
        new HtmlParser().ParseDocument(html).QuerySelector("a#next-page[rel=next]")?.GetAttribute("href");

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
