using System.Diagnostics;
using AlkPlatform.Contracts.Recommendation.V1;
using AlkPlatform.Recommendations.Telemetry;
using AlkPlatform.Testing;
using Grpc.Core;
using OpenTelemetry.Logs;
using AlkPlatform.Telemetry;

namespace AlkPlatform.Recommendations.Tests.Telemetry;

/// <summary>
/// Nothing a caller sent about a patient, and no credential, leaves the service in telemetry: checked on everything the
/// exporters received (span names, tags, statuses, events; log messages, templates, attributes, exceptions).
/// </summary>
[Collection(nameof(TelemetryCollection))]
public sealed class SensitiveTelemetryTests(TelemetryWorld world)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Telemetry_OfCallsCarryingATokenAQuestionACorrelationIdAndRefusedFacts_ExportsNoneOfThem()
    {
        var marker = Guid.NewGuid().ToString("N")[..12];
        var question = $"Does alectinib get into the brain of patient {marker}?";
        var correlationId = $"mrn-{marker}";
        // A weight no other test sends: the refusal's status detail quotes it back to the caller.
        const double refusedWeight = -7.3125;
        var token = world.Service.Identity!.TokenFor(LocalIdentityHost.EhrDemoApp, LocalIdentityHost.Service);
        var client = world.Service.Recommendations();
        var traces = new List<ActivityTraceId>();

        using (var caller = TelemetryWorld.StartCallerTrace())
        {
            await client.AskAsync(new AskRequest { Question = question }, cancellationToken: Ct);
            traces.Add(caller.TraceId);
        }
        using (var caller = TelemetryWorld.StartCallerTrace())
        {
            await client.RecommendAsync(ReferencePatients.RelapsedRefractory(correlationId: correlationId), cancellationToken: Ct);
            traces.Add(caller.TraceId);
        }
        using (var caller = TelemetryWorld.StartCallerTrace())
        {
            var refused = await Assert.ThrowsAsync<RpcException>(() =>
                client.RecommendAsync(ReferencePatients.RelapsedRefractory(weightKg: refusedWeight), cancellationToken: Ct).ResponseAsync);
            // The caller is told (that is the contract); telemetry is not.
            Assert.Contains("-7.3125", refused.Status.Detail, StringComparison.Ordinal);
            traces.Add(caller.TraceId);
        }
        foreach (var trace in traces)
        {
            await world.ServerSpanOf(trace);
        }

        var exported = string.Join("\n", world.Capture.Spans.Snapshot().Select(SpanText).Concat(world.Capture.Logs.Snapshot().Select(LogText)));
        Assert.Contains("Recommend", exported, StringComparison.Ordinal);
        foreach (var secret in new[] { token, marker, "-7.3125", "7.3125" })
        {
            Assert.DoesNotContain(secret, exported, StringComparison.Ordinal);
        }
        Assert.DoesNotContain("Bearer ey", exported, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void SpanFilter_OnASpanCarryingAQueryAHeaderAndATokenInATag_ExportsNoneOfThem()
    {
        var marker = Guid.NewGuid().ToString("N");
        var jwt = $"eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ{marker}.c2lnbmF0dXJl";

        using (var span = RecommendationsActivities.Source.StartActivity($"filter check {marker[..8]}"))
        {
            Assert.NotNull(span);
            span.SetTag("url.full", $"https://127.0.0.1/token?code={marker}&state=x");
            span.SetTag("url.query", $"code={marker}");
            span.SetTag("http.request.header.authorization", $"Bearer {jwt}");
            span.SetTag("alk.note", $"sent with Bearer {jwt}");
            span.SetTag("alk.copied", jwt);
            span.SetStatus(ActivityStatusCode.Error, $"refused {marker}");
        }

        var exported = world.Capture.Spans.Snapshot().Single(s => s.DisplayName == $"filter check {marker[..8]}");
        var text = SpanText(exported);
        Assert.DoesNotContain(marker[8..], text, StringComparison.Ordinal);
        Assert.Equal("https://127.0.0.1/token", exported.GetTagItem("url.full"));
        Assert.Null(exported.GetTagItem("url.query"));
        Assert.Null(exported.GetTagItem("http.request.header.authorization"));
        Assert.Equal($"sent with {SensitiveData.Redacted}", exported.GetTagItem("alk.note"));
        Assert.Equal(SensitiveData.Redacted, exported.GetTagItem("alk.copied"));
        Assert.Equal(ActivityStatusCode.Error, exported.Status);
        Assert.Null(exported.StatusDescription);
    }

    private static string SpanText(Activity span) => string.Join(" | ",
        new[] { span.DisplayName, span.OperationName, span.StatusDescription ?? "" }
            .Concat(span.TagObjects.Select(t => $"{t.Key}={t.Value}"))
            .Concat(span.Events.SelectMany(e => e.Tags.Select(t => $"{e.Name}:{t.Key}={t.Value}")))
            .Concat(span.Baggage.Select(b => $"{b.Key}={b.Value}")));

    private static string LogText(LogRecord log) => string.Join(" | ",
        new[] { log.CategoryName ?? "", log.FormattedMessage ?? "", log.Body ?? "", log.Exception?.ToString() ?? "" }
            .Concat((log.Attributes ?? []).Select(a => $"{a.Key}={a.Value}")));
}
