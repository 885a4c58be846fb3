using AlkPlatform.Contracts.Ops.V1;
using AlkPlatform.Contracts.Recommendation.V1;
using AlkPlatform.Recommendations.EvaluationLogs;
using AlkPlatform.Testing;
using Google.Rpc;
using Grpc.Core;

namespace AlkPlatform.Recommendations.Tests.Limits;

/// <summary>
/// Whatever size or shape a caller sends, the service refuses it by name, echoes none of it, and stores no more than a
/// bounded prefix of it. One service for the class: each test reads only the rows of its own calls.
/// </summary>
public sealed class BoundedInputTests(BoundedInputTests.Service service) : IClassFixture<BoundedInputTests.Service>
{
    private const string EvaluationIdTrailer = "x-evaluation-id";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public sealed class Service : IDisposable
    {
        public RecommendationServiceHost Host { get; } = new();

        public void Dispose() => Host.Dispose();
    }

    private RecommendationServiceHost Host => service.Host;

    [Fact]
    public async Task Recommend_ThreeCallsWithA3MbGuidelineId_AreRefusedBeforeDecoding_AndGrowTheDataDirectoryByAlmostNothing()
    {
        var client = Host.Recommendations();
        await client.RecommendAsync(ReferencePatients.RelapsedRefractory70Kg, cancellationToken: Ct);
        var before = DataDirectoryBytes();
        var request = ReferencePatients.RelapsedRefractory70Kg;
        request.GuidelineId = new string('x', 3 * 1024 * 1024);

        for (var i = 0; i < 3; i++)
        {
            var error = await Assert.ThrowsAsync<RpcException>(() => client.RecommendAsync(request, cancellationToken: Ct).ResponseAsync);
            Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
            Assert.InRange(error.Status.Detail.Length, 1, 200);
        }

        // Before the limits these three calls grew the directory by 63 MB (the id in the row, its message and its input).
        // The bound leaves room for WAL frames of other calls on the shared host (up to 140 KB seen), far below one 3 MB id.
        Assert.InRange(DataDirectoryBytes() - before, 0, 1024 * 1024);
    }

    [Fact]
    public async Task Recommend_60KbGuidelineId_IsRefusedNamingTheField_AndItsRowKeepsOnlyABoundedPrefixAndTheLength()
    {
        var request = ReferencePatients.RelapsedRefractory70Kg;
        request.GuidelineId = new string('x', 60 * 1024);
        request.CorrelationId = "bounded-input-test";

        var error = await Assert.ThrowsAsync<RpcException>(() => Host.Recommendations().RecommendAsync(request, cancellationToken: Ct).ResponseAsync);

        AssertRefused(error, "guideline_id");
        var row = Host.Get<EvaluationLogQueries>().Find(error.Trailers.GetValue(EvaluationIdTrailer)!);
        Assert.NotNull(row);
        Assert.Equal((int)StatusCode.InvalidArgument, row.StatusCode);
        Assert.Equal("", row.GuidelineId);
        Assert.Contains("guideline_id:truncated:61440", EvaluationLogRow.ParseStrings(row.MaskedFields));
        var stored = row.InputJson.Length + row.StatusMessage.Length + row.GuidelineId.Length + row.Caller.Length + row.MaskedFields.Length;
        Assert.InRange(stored, 1, 2 * 1024);
    }

    [Theory]
    [InlineData("ALK-LBCL")]
    [InlineData("alk_lbcl")]
    [InlineData("alk-lbcl-")]
    [InlineData("alk lbcl")]
    public async Task Recommend_GuidelineIdOutsideTheRule_IsInvalidArgument_NotALookup(string guidelineId)
    {
        var request = ReferencePatients.RelapsedRefractory70Kg;
        request.GuidelineId = guidelineId;

        var error = await Assert.ThrowsAsync<RpcException>(() => Host.Recommendations().RecommendAsync(request, cancellationToken: Ct).ResponseAsync);

        AssertRefused(error, "guideline_id", guidelineId);
    }

    [Fact]
    public async Task Recommend_GuidelineIdOf65Characters_IsInvalidArgument_AndOf64IsLookedUp()
    {
        var request = ReferencePatients.RelapsedRefractory70Kg;
        request.GuidelineId = new string('a', 65);
        var tooLong = await Assert.ThrowsAsync<RpcException>(() => Host.Recommendations().RecommendAsync(request, cancellationToken: Ct).ResponseAsync);
        request.GuidelineId = new string('a', 64);
        var unknown = await Assert.ThrowsAsync<RpcException>(() => Host.Recommendations().RecommendAsync(request, cancellationToken: Ct).ResponseAsync);

        AssertRefused(tooLong, "guideline_id", request.GuidelineId);
        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task GetGuidelineAndAsk_OversizedGuidelineId_AreRefusedNamingTheField()
    {
        var id = new string('z', 5000);
        var client = Host.Recommendations();

        var page = await Assert.ThrowsAsync<RpcException>(() => client.GetGuidelineAsync(new GetGuidelineRequest { GuidelineId = id }, cancellationToken: Ct).ResponseAsync);
        var ask = await Assert.ThrowsAsync<RpcException>(() => client.AskAsync(new AskRequest { GuidelineId = id, Question = "alectinib dose" }, cancellationToken: Ct).ResponseAsync);

        AssertRefused(page, "guideline_id", id);
        AssertRefused(ask, "guideline_id", id);
    }

    [Fact]
    public async Task Ask_QuestionOf1001Characters_IsRefusedNamingIt_AndOf1000IsAnswered()
    {
        var client = Host.Recommendations();
        var question = "alectinib " + new string('q', 990);

        var answered = await client.AskAsync(new AskRequest { Question = question }, cancellationToken: Ct);
        var error = await Assert.ThrowsAsync<RpcException>(() => client.AskAsync(new AskRequest { Question = question + "q" }, cancellationToken: Ct).ResponseAsync);

        Assert.NotEmpty(answered.EvaluationId);
        AssertRefused(error, "question", question);
    }

    [Fact]
    public async Task Recommend_CorrelationIdOf129Characters_IsRefusedNamingIt()
    {
        var request = ReferencePatients.RelapsedRefractory(correlationId: new string('c', 129));

        var error = await Assert.ThrowsAsync<RpcException>(() => Host.Recommendations().RecommendAsync(request, cancellationToken: Ct).ResponseAsync);

        AssertRefused(error, "correlation_id", request.CorrelationId);
    }

    [Theory]
    [InlineData(129, 'a')]
    [InlineData(10, '\t')]
    [InlineData(10, '\u007f')]
    public async Task Recommend_ClientAppHeaderTooLongOrNotPrintable_IsRefusedNamingTheHeader(int length, char filler)
    {
        var label = "ehr-" + new string(filler, length - 4);

        var error = await Assert.ThrowsAsync<RpcException>(() => Host.Recommendations(label).RecommendAsync(ReferencePatients.RelapsedRefractory70Kg, cancellationToken: Ct).ResponseAsync);

        AssertRefused(error, "x-client-app", label);
    }

    [Theory]
    [InlineData("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")]
    [InlineData("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-future")]
    public async Task Recommend_WellFormedTraceparent_IsAnswered_AndNamesTheTraceInTheLog(string traceparent)
    {
        var headers = new Metadata { { "traceparent", traceparent } };

        var response = await Host.Recommendations().RecommendAsync(ReferencePatients.RelapsedRefractory70Kg, headers, cancellationToken: Ct);

        Assert.Equal("4bf92f3577b34da6a3ce929d0e0e4736", Host.Get<EvaluationLogQueries>().Find(response.EvaluationId)!.TraceId);
    }

    [Theory]
    [InlineData("00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01")]
    [InlineData("00-00000000000000000000000000000000-00f067aa0ba902b7-01")]
    [InlineData("00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01")]
    [InlineData("ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")]
    [InlineData("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra")]
    [InlineData("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7")]
    [InlineData("not a traceparent")]
    public async Task Recommend_MalformedTraceparent_IsRefusedNamingTheHeader(string traceparent)
    {
        var headers = new Metadata { { "traceparent", traceparent } };

        var error = await Assert.ThrowsAsync<RpcException>(() => Host.Recommendations().RecommendAsync(ReferencePatients.RelapsedRefractory70Kg, headers, cancellationToken: Ct).ResponseAsync);

        AssertRefused(error, "traceparent", traceparent);
    }

    [Fact]
    public async Task SubmitFeedback_MessageOver64Kb_IsRefusedBeforeDecoding()
    {
        var request = new SubmitFeedbackRequest { EvaluationId = Guid.CreateVersion7().ToString(), CardId = "rr-alectinib", Comment = new string('c', 70 * 1024) };

        var error = await Assert.ThrowsAsync<RpcException>(() => Host.Feedback().SubmitFeedbackAsync(request, cancellationToken: Ct).ResponseAsync);

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
    }

    [Theory]
    [InlineData("GetEvaluationLog")]
    [InlineData("ReplayEvaluation")]
    public async Task OpsLookup_IdThatIsNotAnEvaluationId_IsRefusedNamingIt_WithoutEchoingIt(string rpc)
    {
        var id = "<script>" + new string('e', 20_000);
        var ops = Host.Ops();

        var error = await Assert.ThrowsAsync<RpcException>(() => rpc == "GetEvaluationLog"
            ? ops.GetEvaluationLogAsync(new GetEvaluationLogRequest { EvaluationId = id }, cancellationToken: Ct).ResponseAsync
            : ops.ReplayEvaluationAsync(new ReplayEvaluationRequest { EvaluationId = id }, cancellationToken: Ct).ResponseAsync);

        AssertRefused(error, "evaluation_id", id);
    }

    private static void AssertRefused(RpcException error, string field, string? sent = null)
    {
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains(field, error.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations.Select(v => v.Field));
        if (sent is not null)
        {
            Assert.DoesNotContain(sent, error.Status.Detail, StringComparison.Ordinal);
        }
        Assert.InRange(error.Status.Detail.Length, 1, 400);
    }

    private long DataDirectoryBytes() => new DirectoryInfo(Host.DataDirectory).EnumerateFiles().Sum(f => f.Length);
}
