using System.Diagnostics;
using System.Net;
using AlkPlatform.Guidelines.Storage;
using AlkPlatform.Guidelines.Workflow;
using AlkPlatform.Portal.Telemetry;
using AlkPlatform.Portal.Tests.Infrastructure;
using AlkPlatform.Testing.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Logs;
using AlkPlatform.Telemetry;

namespace AlkPlatform.Portal.Tests;

/// <summary>What an operator's backends show of the portal: a board action as its page and its content write, and nothing secret.</summary>
[Collection(nameof(TelemetryCollection))]
public sealed class PortalTelemetryTests : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly TelemetryCapture _capture = new();
    private readonly PortalWorld _world;

    // An operator who turns request logging up (Information) still gets no URL with its query in OTLP.
    public PortalTelemetryTests() => _world = new PortalWorld
    {
        PortalSettings = TelemetryCapture.SettingsWith(new Dictionary<string, string>
        {
            ["Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics"] = "Information",
        }),
        PortalServices = _capture.AddTo,
    };

    public ValueTask InitializeAsync() => _world.InitializeAsync();

    public ValueTask DisposeAsync() => _world.DisposeAsync();

    [Fact]
    public async Task Publish_ThroughItsPage_IsThePageSpanWithTheContentWriteUnderIt_AndIsCounted()
    {
        var workflow = _world.Portal.Services.GetRequiredService<GuidelineWorkflow>();
        var approved = BoardMembers.ApprovedChange(workflow, "alk-lbcl", c => c with { ChangeSummary = "Publish, traced" });
        var pia = await _world.ClientFor(SignIn.User("pia.publisher"));
        var url = $"/Releases/Publish?id=alk-lbcl&n={approved.Number}";
        var page = await pia.GetStringAsync(url, Ct);

        var response = await pia.PostAsync(url, SignIn.Form([
            new("__RequestVerificationToken", SignIn.AntiforgeryToken(page)), new("Reason", "Board agreed."), new("Confirmed", "true")]), Ct);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var write = await _capture.Spans.WaitFor(s => s.DisplayName == "Publish content.db", "the publish's content write", Ct);
        Assert.Equal("Publish", write.GetTagItem("db.operation.name"));
        Assert.Equal("sqlite", write.GetTagItem("db.system.name"));
        Assert.NotEqual(ActivityStatusCode.Error, write.Status);
        var pageSpan = await _capture.Spans.WaitFor(s => s.SpanId == write.ParentSpanId, "the publish page's span", Ct);
        Assert.Equal(ActivityKind.Server, pageSpan.Kind);
        Assert.Equal("POST", pageSpan.GetTagItem("http.request.method"));
        Assert.Equal("/Releases/Publish", pageSpan.GetTagItem("url.path"));
        var publishes = TelemetryCapture.Points(_capture.CollectMetrics(_world.Portal.Services), "alk.content.writes")
            .Single(p => Equals(p.Tags["db.operation.name"], "Publish") && Equals(p.Tags["alk.outcome"], "committed"));
        Assert.Equal(1, publishes.Point.GetSumLong());
        Assert.Contains(TelemetryCapture.Points(_capture.CollectMetrics(_world.Portal.Services), "alk.content.writes"),
            p => Equals(p.Tags["db.operation.name"], "Approve") && p.Point.GetSumLong() >= 2);
    }

    [Fact]
    public async Task Telemetry_OfASignInAndAFilteredOpsPage_ExportsNoSecretTokenOrQueryValue()
    {
        var marker = Guid.NewGuid().ToString("N")[..12];
        var otto = await _world.ClientFor(SignIn.User("otto.ops"));

        await otto.GetAsync($"/Ops/Logs?correlationId=mrn-{marker}&caller={marker}", Ct);

        await _capture.Spans.WaitFor(s => Equals(s.GetTagItem("url.path"), "/Ops/Logs"), "the ops page's span", Ct);
        var spans = _capture.Spans.Snapshot();
        var exported = string.Join("\n", spans.Select(SpanText).Concat(_capture.Logs.Snapshot().Select(LogText)));
        Assert.Contains("/signin-oidc", exported, StringComparison.Ordinal);
        Assert.DoesNotContain(marker, exported, StringComparison.Ordinal);
        Assert.DoesNotContain(_world.Identity.ClientSecret, exported, StringComparison.Ordinal);
        Assert.DoesNotContain("Bearer ey", exported, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(spans, s => s.GetTagItem("url.query") is not null);
        Assert.DoesNotContain(spans, s => s.GetTagItem("url.full") is string full && full.Contains('?', StringComparison.Ordinal));
    }

    [Fact]
    public void SpanFilter_OnAContentSpanCarryingAQueryAHeaderAndAToken_ExportsNoneOfThem()
    {
        var marker = Guid.NewGuid().ToString("N");
        // The portal's providers start with the host.
        _ = _world.Portal.Server;
        using var source = new ActivitySource(ContentStore.TelemetryName);

        using (var span = source.StartActivity($"filter check {marker[..8]}"))
        {
            Assert.NotNull(span);
            span.SetTag("url.full", $"https://127.0.0.1/signin-oidc?code={marker}");
            span.SetTag("http.request.header.cookie", $".AspNetCore.Cookies={marker}");
            span.SetTag("alk.note", $"Bearer eyJhbGciOiJSUzI1NiJ9.{marker}.c2ln");
            span.SetStatus(ActivityStatusCode.Error, $"refused {marker}");
        }

        var exported = _capture.Spans.Snapshot().Single(s => s.DisplayName == $"filter check {marker[..8]}");
        Assert.DoesNotContain(marker[8..], SpanText(exported), StringComparison.Ordinal);
        Assert.Equal("https://127.0.0.1/signin-oidc", exported.GetTagItem("url.full"));
        Assert.Null(exported.GetTagItem("http.request.header.cookie"));
        Assert.Equal(SensitiveData.Redacted, exported.GetTagItem("alk.note"));
        Assert.Null(exported.StatusDescription);
    }

    private static string SpanText(Activity span) => string.Join(" | ",
        new[] { span.DisplayName, span.OperationName, span.StatusDescription ?? "" }
            .Concat(span.TagObjects.Select(t => $"{t.Key}={t.Value}"))
            .Concat(span.Events.SelectMany(e => e.Tags.Select(t => $"{e.Name}:{t.Key}={t.Value}"))));

    private static string LogText(LogRecord log) => string.Join(" | ",
        new[] { log.CategoryName ?? "", log.FormattedMessage ?? "", log.Body ?? "", log.Exception?.ToString() ?? "" }
            .Concat((log.Attributes ?? []).Select(a => $"{a.Key}={a.Value}")));
}
