using AlkPlatform.Contracts.Recommendation.V1;
using AlkPlatform.Testing;

namespace AlkPlatform.Recommendations.Tests;

public sealed class GetGuidelineTests : IDisposable
{
    private readonly RecommendationServiceHost _service = new();
    private readonly RecommendationService.RecommendationServiceClient _client;

    public GetGuidelineTests() => _client = _service.Recommendations();

    public void Dispose() => _service.Dispose();

    [Fact]
    public async Task GetGuideline_RendersTheArticle_WithSectionsCitationsReferencesAndDisclaimer()
    {
        var response = await _client.GetGuidelineAsync(new GetGuidelineRequest { GuidelineId = "alk-lbcl" }, cancellationToken: TestContext.Current.CancellationToken);

        var guideline = response.Guideline;
        Assert.Equal("Approved", guideline.ReviewStatus);
        Assert.Equal("2026-01-09", guideline.LastUpdated);
        Assert.Contains("ceritinib", guideline.Question, StringComparison.Ordinal);
        Assert.Equal(30, guideline.Sections.Sum(s => s.Statements.Count));
        var pitfalls = Assert.Single(guideline.Sections, s => s.Title == "Critical Pitfalls to Avoid");
        Assert.Equal([5, 4], pitfalls.Statements.Single(s => s.Id == "pitfall-rituximab").CitationNumbers);
        Assert.Equal([1, 2, 3, 4, 5], guideline.References.Select(r => r.Number));
        Assert.All(guideline.References, r => Assert.NotEmpty(r.BoardNote));
        Assert.StartsWith("This information is intended for healthcare professionals.", guideline.Disclaimer, StringComparison.Ordinal);
        Assert.NotEmpty(guideline.BoardNotes);
        Assert.Equal("alk-lbcl", response.Release.GuidelineId);
    }
}
