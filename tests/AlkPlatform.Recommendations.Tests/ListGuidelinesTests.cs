using AlkPlatform.Contracts.Recommendation.V1;
using AlkPlatform.Testing;

namespace AlkPlatform.Recommendations.Tests;

public sealed class ListGuidelinesTests : IDisposable
{
    private readonly RecommendationServiceHost _service = new();
    private readonly RecommendationService.RecommendationServiceClient _client;

    public ListGuidelinesTests() => _client = _service.Recommendations();

    public void Dispose() => _service.Dispose();

    [Fact]
    public async Task ListGuidelines_ListsTheSeedWithItsRelease()
    {
        var response = await _client.ListGuidelinesAsync(new ListGuidelinesRequest(), cancellationToken: TestContext.Current.CancellationToken);

        var guideline = Assert.Single(response.Guidelines);
        Assert.Equal("alk-lbcl", guideline.Id);
        Assert.Equal(64, guideline.Release.ContentHash.Length);
    }
}
