using AlkPlatform.Contracts.Ops.V1;
using AlkPlatform.Testing;
using AlkPlatform.Testing.Properties;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Severity = AlkPlatform.Contracts.Recommendation.V1.Severity;

namespace AlkPlatform.EvaluationLogs.Tests.Properties;

/// <summary>
/// The cases the ops properties shrank to, pinned: a timestamp outside what <c>Timestamp</c> can hold made every ops query
/// fail with Unknown ("Exception was thrown by handler"), and an undeclared enum value was silently read as another.
/// </summary>
public sealed class OpsCounterexampleTests : IAsyncDisposable
{
    private readonly RecommendationServiceHost _service = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask DisposeAsync() => _service.DisposeAsync();

    [Fact]
    public Task QueryEvaluationLogs_FromWithNegativeNanos_IsRefusedNamingFilterFrom() => AssertRefusedNaming(
        () => _service.Ops().QueryEvaluationLogsAsync(new() { Filter = new() { From = new Timestamp { Seconds = -133_775, Nanos = -1 } } }, cancellationToken: Ct).ResponseAsync,
        "filter.from");

    [Fact]
    public Task QueryEvaluationLogs_BadPageSizeAndForgedToken_IsRefusedNamingBoth() => AssertRefusedNaming(
        () => _service.Ops().QueryEvaluationLogsAsync(new() { PageSize = 501, PageToken = "not-a-token" }, cancellationToken: Ct).ResponseAsync,
        "page_size", "page_token");

    [Fact]
    public Task GetEvaluationLogAggregates_UndeclaredSeverity_IsRefusedNamingFilterSeverity() => AssertRefusedNaming(
        () => _service.Ops().GetEvaluationLogAggregatesAsync(new() { Filter = new() { Severity = (Severity)7 } }, cancellationToken: Ct).ResponseAsync,
        "filter.severity");

    [Fact]
    public Task ExportEvaluationLogs_ToAfterYear9999AndUndeclaredFormat_IsRefusedNamingBoth() => AssertRefusedNaming(async () =>
        {
            using var call = _service.Ops().ExportEvaluationLogs(new() { Filter = new() { To = new Timestamp { Seconds = 253_402_300_800 } }, Format = (ExportFormat)7 }, cancellationToken: Ct);
            await call.ResponseStream.MoveNext(Ct);
        },
        "filter.to", "format");

    [Fact]
    public Task GetFeedbackSummary_FromBeforeYearOne_IsRefusedNamingFrom() => AssertRefusedNaming(
        () => _service.Ops().GetFeedbackSummaryAsync(new() { From = new Timestamp { Seconds = -62_135_596_801 } }, cancellationToken: Ct).ResponseAsync,
        "from");

    private static async Task AssertRefusedNaming(Func<Task> call, params string[] fields)
    {
        var refusal = await Assert.ThrowsAsync<RpcException>(call);
        Assert.Equal(StatusCode.InvalidArgument, refusal.StatusCode);
        Assert.Equal(fields.Order(StringComparer.Ordinal), Refusals.FieldsNamed(refusal));
    }
}
