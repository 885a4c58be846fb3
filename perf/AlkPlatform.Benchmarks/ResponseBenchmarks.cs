using System.Buffers;
using AlkPlatform.Contracts.Recommendation.V1;
using AlkPlatform.Guidelines.Content;
using AlkPlatform.Guidelines.Releases;
using AlkPlatform.Guidelines.Rules;
using AlkPlatform.Recommendations.Recommend;
using AlkPlatform.Recommendations.Releases;
using AlkPlatform.Testing;
using Google.Protobuf;

namespace AlkPlatform.Benchmarks;

/// <summary>
/// Card rendering (done once per release and audience) and the full Recommend response: the handler as gRPC calls it,
/// and the handler plus protobuf serialisation, which is the whole per-call application cost before HTTP/2 framing.
/// </summary>
[BenchmarkDotNet.Attributes.MemoryDiagnoser]
public class ResponseBenchmarks
{
    private CompiledGuideline _guideline = null!;
    private RecommendationApi _api = null!;
    private RecommendRequest _request = null!;
    private readonly ArrayBufferWriter<byte> _buffer = new(64 * 1024);

    [BenchmarkDotNet.Attributes.GlobalSetup]
    public void Setup()
    {
        _guideline = CompiledGuideline.Compile(Patients.Seed);
        var catalog = new ReleaseCatalog();
        catalog.Activate(LiveRelease.Prepare(BundledSeedRelease.Create()));
        _api = new RecommendationApi(catalog, new AlkPlatform.Recommendations.ReleaseFeed.ReleaseFeedStatus(), AlkPlatform.Recommendations.Limits.RequestLimits.Defaults,
            AlkPlatform.Recommendations.Authentication.CallerAuthentication.Decide(
            new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build(),
            new Microsoft.Extensions.Hosting.Internal.HostingEnvironment { EnvironmentName = "Development" }));
        _request = ReferencePatients.RelapsedRefractory70Kg;
    }

    [BenchmarkDotNet.Attributes.Benchmark]
    public int RenderEveryRuleCard()
    {
        var n = 0;
        for (var rule = 0; rule < _guideline.RuleCount; rule++)
        {
            n += CardRenderer.Render(_guideline, new RuleHit(rule, RuleHit.NoDose), Audiences.Clinician).DetailMarkdown.Length;
        }
        return n;
    }

    [BenchmarkDotNet.Attributes.Benchmark]
    public RecommendResponse Recommend() => _api.Recommend(_request, null!).Result;

    [BenchmarkDotNet.Attributes.Benchmark]
    public int RecommendAndSerialize()
    {
        var response = _api.Recommend(_request, null!).Result;
        _buffer.ResetWrittenCount();
        response.WriteTo(_buffer);
        return _buffer.WrittenCount;
    }

    /// <summary>What the service does: shared cards and provenance are copied from bytes serialised once per release.</summary>
    [BenchmarkDotNet.Attributes.Benchmark]
    public int RecommendAndSerializeWithPreserializedCards()
    {
        var response = _api.Recommend(_request, null!).Result;
        _buffer.ResetWrittenCount();
        RecommendResponseMarshaller.WriteTo(response, _buffer);
        return _buffer.WrittenCount;
    }

    [BenchmarkDotNet.Attributes.Benchmark]
    public int ParseRequest() => RecommendRequest.Parser.ParseFrom(_request.ToByteArray()).CalculateSize();
}
