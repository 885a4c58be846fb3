using AlkPlatform.Contracts.Recommendation.V1;
using AlkPlatform.Testing;
using AlkPlatform.Testing.Generators;
using AlkPlatform.Testing.Properties;

namespace AlkPlatform.Recommendations.Tests.Properties;

/// <summary>
/// Generated requests for each RPC of the recommendation service, over its real gRPC pipeline: a request is answered when it
/// breaks no rule of the contract and refused as InvalidArgument naming exactly the fields it breaks otherwise, never a
/// fault; what was on record stays unchanged, every answer is on record, and the service still answers afterwards.
/// </summary>
[Trait(PropertyRuns.Trait, PropertyRuns.Category)]
public sealed class RecommendationServiceProperties : IDisposable
{
    private readonly RecommendationServiceHost _service = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _service.Dispose();

    [Fact]
    public async Task Recommend_GeneratedRequests_AnsweredWhenValidElseRefusedNamingEachBrokenField()
    {
        var client = _service.Recommendations();
        await ClinicalOutcome.CheckRpcAsync(_service, nameof(Recommend_GeneratedRequests_AnsweredWhenValidElseRefusedNamingEachBrokenField),
            ClinicalRequests.Recommend, r => r.GuidelineId, ClinicalFieldRules.Recommend, async request =>
            {
                var response = await client.RecommendAsync(request, cancellationToken: Ct);
                Assert.True(Guid.TryParse(response.EvaluationId, out _));
                Assert.Equal(ClinicalRequests.ServedGuideline, response.Release.GuidelineId);
                Assert.All(response.Cards, c => Assert.InRange(c.Summary.Length, 1, 140));
                Assert.Equal(response.Cards.Count, response.Cards.Select(c => c.Id).Distinct().Count());
                return response.EvaluationId;
            });
    }

    [Fact]
    public async Task Ask_GeneratedQuestions_AnsweredFromApprovedStatementsOrRefusedNamingEachBrokenField()
    {
        var client = _service.Recommendations();
        var statements = Guidelines.Content.SeedGuideline.Load().AllStatements().Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        await ClinicalOutcome.CheckRpcAsync(_service, nameof(Ask_GeneratedQuestions_AnsweredFromApprovedStatementsOrRefusedNamingEachBrokenField),
            ClinicalRequests.Ask, r => r.GuidelineId, ClinicalFieldRules.Ask, async request =>
            {
                var response = await client.AskAsync(request, cancellationToken: Ct);
                Assert.Equal(response.Hits.Count > 0, response.Covered);
                Assert.InRange(response.Hits.Count, 0, request.MaxResults == 0 ? 3 : request.MaxResults);
                Assert.All(response.Hits, hit => Assert.Contains(hit.StatementId, statements));
                return response.EvaluationId;
            });
    }

    [Fact]
    public async Task GetGuideline_GeneratedRequests_AnsweredWithTheLiveGuidelineOrRefusedNamingEachBrokenField()
    {
        var client = _service.Recommendations();
        await ClinicalOutcome.CheckRpcAsync(_service, nameof(GetGuideline_GeneratedRequests_AnsweredWithTheLiveGuidelineOrRefusedNamingEachBrokenField),
            ClinicalRequests.GetGuideline, r => r.GuidelineId, ClinicalFieldRules.GetGuideline, async request =>
            {
                var response = await client.GetGuidelineAsync(request, cancellationToken: Ct);
                Assert.Equal(ClinicalRequests.ServedGuideline, response.Guideline.Id);
                Assert.NotEmpty(response.Guideline.Sections);
                return response.EvaluationId;
            });
    }

    [Fact]
    public async Task ListGuidelines_GeneratedUnknownFields_AlwaysListsTheServedGuideline()
    {
        var client = _service.Recommendations();

        await PropertyRuns.CheckAsync(nameof(ListGuidelines_GeneratedUnknownFields_AlwaysListsTheServedGuideline), ClinicalRequests.ListGuidelines, async request =>
        {
            var response = await client.ListGuidelinesAsync(request, cancellationToken: Ct);
            Assert.Equal(ClinicalRequests.ServedGuideline, Assert.Single(response.Guidelines).Id);
        }, threads: 2);

        await ClinicalOutcome.AssertStillServesAsync(_service);
    }
}
