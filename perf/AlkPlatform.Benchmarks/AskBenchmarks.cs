using AlkPlatform.Contracts.Recommendation.V1;
using AlkPlatform.Guidelines.Content;
using AlkPlatform.Guidelines.Releases;
using AlkPlatform.Recommendations.Recommend;
using AlkPlatform.Recommendations.Releases;
using AlkPlatform.Testing;
using BenchmarkDotNet.Attributes;

namespace AlkPlatform.Benchmarks;

/// <summary>
/// Ask's handler server-side (analysis, coverage, BM25 over FTS5, the response), without a model, against the Recommend
/// handler as the baseline in the same run: one answered question, one refused for an unknown term, and the seed's
/// frozen question set in turn (per question). The target is a median of at most 2 ms.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class AskBenchmarks
{
    private RecommendationApi _api = null!;
    private RecommendRequest _patient = null!;
    private AskRequest _answered = null!;
    private AskRequest _refused = null!;
    private AskRequest[] _frozen = [];

    /// <summary>The seed's frozen part; a benchmark's operations per invoke must be a constant.</summary>
    private const int FrozenQuestions = 135;

    [GlobalSetup]
    public void Setup()
    {
        var catalog = new ReleaseCatalog();
        catalog.Activate(LiveRelease.Prepare(BundledSeedRelease.Create()));
        _api = new RecommendationApi(catalog, new AlkPlatform.Recommendations.ReleaseFeed.ReleaseFeedStatus(), AlkPlatform.Recommendations.Limits.RequestLimits.Defaults,
            AlkPlatform.Recommendations.Authentication.CallerAuthentication.Decide(
            new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build(),
            new Microsoft.Extensions.Hosting.Internal.HostingEnvironment { EnvironmentName = "Development" }));
        _patient = ReferencePatients.RelapsedRefractory70Kg;
        _answered = new AskRequest { Question = "What dose of alectinib for a patient under 35 kg?" };
        _refused = new AskRequest { Question = "What dose of glofitamab is recommended?" };
        _frozen = [.. SeedGuideline.Load().Questions!.Where(q => q.Frozen).Select(q => new AskRequest { Question = q.Text })];
        if (_frozen.Length != FrozenQuestions)
        {
            throw new InvalidOperationException($"The seed's frozen part has {_frozen.Length} questions; set FrozenQuestions to match.");
        }
    }

    [Benchmark(Baseline = true)]
    public RecommendResponse Recommend() => _api.Recommend(_patient, null!).Result;

    [Benchmark]
    public AskResponse AskAnswered() => _api.Ask(_answered, null!).Result;

    [Benchmark]
    public AskResponse AskRefused() => _api.Ask(_refused, null!).Result;

    [Benchmark(OperationsPerInvoke = FrozenQuestions)]
    public int AskFrozenSet()
    {
        var n = 0;
        foreach (var request in _frozen)
        {
            n += _api.Ask(request, null!).Result.Hits.Count;
        }
        return n;
    }
}
