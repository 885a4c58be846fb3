using System.Diagnostics;
using AlkPlatform.Testing;
using AlkPlatform.Testing.Otlp;
using AlkPlatform.Testing.Otlp.Trace;

namespace AlkPlatform.Recommendations.Tests.Telemetry;

/// <summary>
/// The real exporter on the wire: the service as its own process (Production, app tokens) sends OTLP/gRPC to a collector on
/// a loopback port, as it would to an operator's collector.
/// </summary>
[Collection(nameof(ReleaseFeedTelemetryCollection))]
public sealed class OtlpExportTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Recommend_WithAnOtlpEndpointConfigured_ArrivesAtTheCollectorAsAServerSpan_NamingTheService()
    {
        await using var collector = await OtlpReceiver.StartAsync(cancellationToken: Ct);
        var data = Directory.CreateTempSubdirectory("alk-otlp-").FullName;
        ActivityTraceId traceId;
        try
        {
            var service = await RecommendationServiceProcess.StartAsync(data, new Dictionary<string, string>
            {
                ["OpenTelemetry:Otlp:Endpoint"] = collector.Endpoint.ToString(),
                ["OpenTelemetry:ServiceInstanceId"] = "replica-under-test",
            }, Ct);
            await using (service)
            {
                using (var caller = TelemetryWorld.StartCallerTrace())
                {
                    await service.Client.RecommendAsync(ReferencePatients.RelapsedRefractory70Kg, cancellationToken: Ct);
                    traceId = caller.TraceId;
                }
                // SIGTERM: the host stops its providers, which export what they hold before the process exits.
                await service.StopAsync();
            }
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }

        var wanted = Convert.FromHexString(traceId.ToHexString());
        var span = await collector.Spans.WaitFor(s => s.Span.TraceId.Span.SequenceEqual(wanted) && s.Span.Kind == Span.Types.SpanKind.Server,
            "Recommend server span", Ct);
        Assert.Equal("alk.recommendation.v1.RecommendationService/Recommend", span.Span.Name);
        Assert.Equal("Recommend", span.Attributes["rpc.method"]);
        Assert.Equal("0", span.Attributes["rpc.grpc.status_code"]);
        Assert.Equal("alk-recommendation-service", span.Resource["service.name"]);
        Assert.Equal("replica-under-test", span.Resource["service.instance.id"]);
        Assert.Contains(collector.Spans.Snapshot(), s => s.Span.Name == "evaluation_log.commit");
        Assert.Contains("alk.recommendations.rpc.calls", collector.MetricNames.Snapshot());
        Assert.Contains("alk.evaluation_log.queue_depth", collector.MetricNames.Snapshot());
    }
}
