using System.Text.RegularExpressions;
using AlkPlatform.Contracts.Recommendation.V1;
using AlkPlatform.Testing;
using AlkPlatform.Testing.Generators;
using AlkPlatform.Testing.Properties;
using CsCheck;
using Grpc.Core;

namespace AlkPlatform.Recommendations.Tests.Properties;

/// <summary>
/// The bounds the clinical RPCs promise for what a caller sends, as generated cases: a guideline_id that is not 1 to 64
/// characters of [a-z0-9-] is refused as InvalidArgument naming it; no refusal echoes an oversized value; a request over
/// 64 KB is not answered; an x-client-app header that is not printable ASCII of at most 128 characters is refused naming
/// it; a traceparent that is not W3C's form never becomes the logged trace id.
/// </summary>
[Trait(PropertyRuns.Trait, PropertyRuns.Category)]
public sealed partial class BoundedInputProperties : IDisposable
{
    private const int MaxRequestBytes = 64 * 1024;
    private readonly RecommendationServiceHost _service = new();

    [GeneratedRegex(@"\A[a-z0-9-]{1,64}\z")]
    private static partial Regex BoundedGuidelineId();

    [GeneratedRegex(@"\A[0-9a-f]{32}\z")]
    private static partial Regex TraceId();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _service.Dispose();

    private static readonly Gen<string> MalformedGuidelineId = Gen.Frequency(
            (2, GeneratedText.Tainted(Gen.Const(ClinicalRequests.ServedGuideline))),
            (2, GeneratedText.Around(64, 3000).Select(s => new string('a', s.Length))),
            (2, GeneratedText.Any(3000)))
        .Where(id => id.Length > 0 && !BoundedGuidelineId().IsMatch(id));

    [Fact]
    public async Task ClinicalRequests_MalformedGuidelineId_RefusedAsInvalidArgumentNamingIt()
    {
        var client = _service.Recommendations();

        await PropertyRuns.CheckAsync(nameof(ClinicalRequests_MalformedGuidelineId_RefusedAsInvalidArgumentNamingIt), Gen.Select(MalformedGuidelineId, Gen.Int[0, 2]), async c =>
        {
            var (id, rpc) = c;
            var refusal = await Assert.ThrowsAsync<RpcException>(() => rpc switch
            {
                0 => client.RecommendAsync(new RecommendRequest { GuidelineId = id }, cancellationToken: Ct).ResponseAsync,
                1 => client.AskAsync(new AskRequest { GuidelineId = id, Question = "alectinib dose" }, cancellationToken: Ct).ResponseAsync,
                _ => client.GetGuidelineAsync(new GetGuidelineRequest { GuidelineId = id }, cancellationToken: Ct).ResponseAsync,
            });
            Assert.True(refusal.StatusCode == StatusCode.InvalidArgument && Refusals.FieldsNamed(refusal).Contains("guideline_id"),
                $"expected InvalidArgument naming guideline_id; got {Refusals.Describe(refusal)}");
        }, threads: 2);

        await ClinicalOutcome.AssertStillServesAsync(_service);
    }

    [Fact]
    public async Task ClinicalRequests_OversizedFields_RefusalNeverEchoesThem()
    {
        var client = _service.Recommendations();
        var oversized = Gen.Select(Gen.Int[0, 2], Gen.Int[1, 20_000], GeneratedText.Printable, (field, extra, c) => (field, value: new string(c, field switch
        {
            0 => 64,
            1 => 128,
            _ => 1000,
        } + extra)));

        await PropertyRuns.CheckAsync(nameof(ClinicalRequests_OversizedFields_RefusalNeverEchoesThem), oversized, async c =>
        {
            var refusal = await Assert.ThrowsAsync<RpcException>(() => c.field switch
            {
                0 => client.RecommendAsync(new RecommendRequest { GuidelineId = c.value }, cancellationToken: Ct).ResponseAsync,
                1 => client.RecommendAsync(new RecommendRequest { Facts = new PatientFacts(), CorrelationId = c.value }, cancellationToken: Ct).ResponseAsync,
                _ => client.AskAsync(new AskRequest { Question = c.value }, cancellationToken: Ct).ResponseAsync,
            });
            Assert.False(Refusals.Faults.Contains(refusal.StatusCode), Refusals.Describe(refusal));
            Assert.True(refusal.Status.Detail.Length <= 1024 && !refusal.Status.Detail.Contains(c.value, StringComparison.Ordinal),
                $"the refusal echoes the {c.value.Length}-character value ({refusal.Status.Detail.Length} characters of message)");
        }, threads: 2);

        await ClinicalOutcome.AssertStillServesAsync(_service);
    }

    [Fact]
    public async Task Recommend_RequestOver64KB_IsRefusedNotAnswered()
    {
        var client = _service.Recommendations();

        await PropertyRuns.CheckAsync(nameof(Recommend_RequestOver64KB_IsRefusedNotAnswered), ClinicalRequests.OversizedRecommend(MaxRequestBytes + 1), async request =>
        {
            var refusal = await Assert.ThrowsAsync<RpcException>(() => client.RecommendAsync(request, cancellationToken: Ct).ResponseAsync);
            Assert.True(refusal.StatusCode is StatusCode.ResourceExhausted or StatusCode.InvalidArgument,
                $"a {request.CalculateSize()}-byte request: {Refusals.Describe(refusal)}");
        }, threads: 2);

        await ClinicalOutcome.AssertStillServesAsync(_service);
    }

    [Fact]
    public async Task Recommend_ClientAppHeaderNotPrintableOrOver128_RefusedNamingIt()
    {
        // No interceptor adding a caller: each case sends exactly its own header.
        var client = new RecommendationService.RecommendationServiceClient(_service.As(LocalIdentityHost.EhrDemoApp, clientApp: null));
        var header = Gen.Frequency(
            (3, Gen.String[GeneratedText.Printable, 1, 128]),
            (2, GeneratedText.Around(128, 2000).Select(s => new string('a', s.Length))),
            (2, Gen.Select(Gen.String[GeneratedText.Printable, 0, 60], Gen.Char["\t\u007f\u0001\u001f"], (s, c) => s + c + s)));

        await PropertyRuns.CheckAsync(nameof(Recommend_ClientAppHeaderNotPrintableOrOver128_RefusedNamingIt), header, async value =>
        {
            var bounded = value.Length <= 128 && value.All(c => c is >= ' ' and <= '~');
            try
            {
                await client.RecommendAsync(ReferencePatients.RelapsedRefractory70Kg, new Metadata { { CallerHeaders.ClientApp, value } }, cancellationToken: Ct);
                Assert.True(bounded, $"answered a call whose {CallerHeaders.ClientApp} is {value.Length} characters and {(value.All(c => c is >= ' ' and <= '~') ? "printable" : "not printable")}");
            }
            catch (RpcException refusal)
            {
                Assert.True(!bounded && refusal.StatusCode == StatusCode.InvalidArgument && Refusals.FieldsNamed(refusal).Any(f => f.Contains(CallerHeaders.ClientApp, StringComparison.Ordinal)),
                    $"expected {(bounded ? "an answer" : $"InvalidArgument naming {CallerHeaders.ClientApp}")}; got {Refusals.Describe(refusal)}");
            }
        }, threads: 2);

        await ClinicalOutcome.AssertStillServesAsync(_service);
    }

    [Fact]
    public async Task Recommend_MalformedTraceparent_NeverBecomesTheLoggedTraceId()
    {
        var client = new RecommendationService.RecommendationServiceClient(_service.As(LocalIdentityHost.EhrDemoApp, clientApp: null));
        var ops = _service.Ops();
        var traceparent = Gen.Frequency(
            (2, Gen.String[GeneratedText.Printable, 35, 80]),
            (2, Gen.Select(Gen.String[GeneratedText.Printable, 32, 32], Gen.String[GeneratedText.Printable, 16, 16], (t, p) => $"00-{t}-{p}-01")),
            (1, Gen.Const("00-00000000000000000000000000000000-0000000000000000-01")))
            .Where(v => !W3cTraceparent().IsMatch(v));

        await PropertyRuns.CheckAsync(nameof(Recommend_MalformedTraceparent_NeverBecomesTheLoggedTraceId), traceparent, async value =>
        {
            RecommendResponse response;
            try
            {
                response = await client.RecommendAsync(ReferencePatients.RelapsedRefractory70Kg, new Metadata { { "traceparent", value } }, cancellationToken: Ct);
            }
            catch (RpcException refusal) when (refusal.StatusCode == StatusCode.InvalidArgument)
            {
                // Refused outright is as good as ignored, if the refusal names the header.
                Assert.Equal(["traceparent"], Refusals.FieldsNamed(refusal));
                return;
            }
            var logged = (await ops.GetEvaluationLogAsync(new() { EvaluationId = response.EvaluationId }, cancellationToken: Ct)).Record.TraceId;
            Assert.True(logged.Length == 0 || (TraceId().IsMatch(logged) && logged != new string('0', 32) && !value.Contains(logged, StringComparison.Ordinal)),
                $"traceparent '{value}' was logged as trace id '{logged}'");
        }, threads: 2);
    }

    /// <summary>version-traceid-parentid-flags, lowercase hex, neither id all zeros (W3C Trace Context).</summary>
    [GeneratedRegex(@"\A[0-9a-f]{2}-(?!0{32})[0-9a-f]{32}-(?!0{16})[0-9a-f]{16}-[0-9a-f]{2}\z")]
    private static partial Regex W3cTraceparent();
}
