using System.Diagnostics;
using AlkPlatform.Contracts.Recommendation.V1;
using AlkPlatform.Recommendations.Telemetry;
using AlkPlatform.Testing;
using AlkPlatform.Testing.Telemetry;
using Grpc.Core;

namespace AlkPlatform.Recommendations.Tests.Telemetry;

/// <summary>What an operator's trace and metrics backends show for a call: which RPC it was and how it ended.</summary>
[Collection(nameof(TelemetryCollection))]
public sealed class RecommendTracingTests(TelemetryWorld world)
{
    private const string RecommendationService = "alk.recommendation.v1.RecommendationService";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Recommend_WithTelemetryOn_IsOneServerSpanNamedAfterTheRpc_WithItsMethodAndOkStatus()
    {
        ActivityTraceId traceId;
        using (var caller = TelemetryWorld.StartCallerTrace())
        {
            await world.Service.Recommendations().RecommendAsync(ReferencePatients.RelapsedRefractory70Kg, cancellationToken: Ct);
            traceId = caller.TraceId;
        }

        var span = await world.ServerSpanOf(traceId);
        Assert.Equal($"{RecommendationService}/Recommend", span.DisplayName);
        Assert.Equal("grpc", span.GetTagItem("rpc.system"));
        Assert.Equal(RecommendationService, span.GetTagItem("rpc.service"));
        Assert.Equal("Recommend", span.GetTagItem("rpc.method"));
        Assert.Equal(0, span.GetTagItem("rpc.grpc.status_code"));
        Assert.NotEqual(ActivityStatusCode.Error, span.Status);
        // The evaluation itself is in-memory work and gets no span: on the service's side the call is its server span alone.
        Assert.DoesNotContain(world.Capture.Spans.Snapshot(), s => s.TraceId == traceId && s.Source.Name == RecommendationsActivities.SourceName);
        Assert.Single(world.Capture.Spans.Snapshot(), s => s.TraceId == traceId && s.Kind == ActivityKind.Server);
    }

    [Fact]
    public async Task Recommend_InvalidArgument_IsCountedByMethodAndStatus_InTheCallCounterAndTheDurationHistogram()
    {
        using var caller = TelemetryWorld.StartCallerTrace();
        var refused = await Assert.ThrowsAsync<RpcException>(() => world.Service.Recommendations()
            .RecommendAsync(ReferencePatients.RelapsedRefractory(weightKg: -3), cancellationToken: Ct).ResponseAsync);
        caller.Stop();
        var traceId = caller.TraceId;

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        var span = await world.ServerSpanOf(traceId);
        Assert.Equal((int)StatusCode.InvalidArgument, span.GetTagItem("rpc.grpc.status_code"));
        // A caller's mistake is not the server's failure (OpenTelemetry's gRPC conventions).
        Assert.NotEqual(ActivityStatusCode.Error, span.Status);
        var collected = world.Capture.CollectMetrics(world.Service.Services);
        var calls = TelemetryCapture.Points(collected, "alk.recommendations.rpc.calls")
            .Single(p => Equals(p.Tags["rpc.method"], "Recommend") && Equals(p.Tags["rpc.grpc.status_code"], (int)StatusCode.InvalidArgument));
        Assert.Equal(RecommendationService, calls.Tags["rpc.service"]);
        Assert.True(calls.Point.GetSumLong() >= 1);
        var durations = TelemetryCapture.Points(collected, "http.server.request.duration")
            .Where(p => p.Tags.TryGetValue("rpc.method", out var m) && Equals(m, "Recommend")
                && Equals(p.Tags["rpc.grpc.status_code"], (int)StatusCode.InvalidArgument)).ToList();
        Assert.NotEmpty(durations);
        Assert.True(durations.Sum(p => p.Point.GetHistogramCount()) >= 1);
    }

    [Fact]
    public async Task Recommend_IsRecordedByAGroupCommitSpan_OfTheEvaluationLogWithItsBatchSize()
    {
        var before = DateTime.UtcNow;

        await world.Service.Recommendations().RecommendAsync(ReferencePatients.RelapsedRefractory70Kg, cancellationToken: Ct);

        var commit = await world.Capture.Spans.WaitFor(
            s => s.OperationName == "evaluation_log.commit" && s.StartTimeUtc >= before,
            "group commit span", Ct);
        Assert.Equal(RecommendationsActivities.SourceName, commit.Source.Name);
        Assert.Equal("sqlite", commit.GetTagItem("db.system.name"));
        Assert.True((int)commit.GetTagItem("db.operation.batch.size")! >= 1);
        Assert.NotEqual(ActivityStatusCode.Error, commit.Status);
    }
}
