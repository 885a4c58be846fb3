using AlkPlatform.Contracts.Recommendation.V1;
using AlkPlatform.Testing;
using Google.Rpc;
using Grpc.Core;

namespace AlkPlatform.Recommendations.Tests;

public sealed class AskTests : IDisposable
{
    private readonly RecommendationServiceHost _service = new();
    private readonly RecommendationService.RecommendationServiceClient _client;

    public AskTests() => _client = _service.Recommendations();

    public void Dispose() => _service.Dispose();

    [Fact]
    public async Task Ask_AboutTheAlectinibDose_AnswersFromTheApprovedDoseStatement()
    {
        var response = await _client.AskAsync(new AskRequest { Question = "What dose of alectinib for a child under 35 kg?" }, cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(response.Covered);
        Assert.Equal("rr-alectinib-dose", response.Hits[0].StatementId);
        Assert.Equal([2], response.Hits[0].Citations.Select(c => c.Number));
        Assert.Contains("150 mg", response.AnswerMarkdown, StringComparison.Ordinal);
        Assert.Equal("alk-lbcl", response.Release.GuidelineId);
    }

    [Fact]
    public async Task Ask_AboutRituximab_FindsThePitfall()
    {
        var response = await _client.AskAsync(new AskRequest { Question = "Can we add rituximab?", MaxResults = 5 }, cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(response.Covered);
        Assert.Contains(response.Hits, h => h.StatementId == "pitfall-rituximab");
        Assert.InRange(response.Hits.Count, 1, 5);
    }

    [Fact]
    public async Task Ask_OutsideTheGuideline_SaysItIsNotCovered()
    {
        var response = await _client.AskAsync(new AskRequest { Question = "Is ibrutinib a good choice for my patient?" }, cancellationToken: TestContext.Current.CancellationToken);

        Assert.False(response.Covered);
        Assert.Empty(response.Hits);
        Assert.StartsWith("Not covered by the approved guideline", response.AnswerMarkdown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ask_QueryOperatorsInTheQuestion_AreTreatedAsWords()
    {
        var response = await _client.AskAsync(new AskRequest { Question = "\"crizotinib\" NEAR( * OR pneumonitis) -- ;" }, cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(response.Covered);
        Assert.Contains(response.Hits, h => h.StatementId == "pitfall-pneumonitis");
    }

    [Theory]
    [InlineData("", 0, "question")]
    [InlineData("alectinib", 11, "max_results")]
    public async Task Ask_BadInput_IsInvalidArgumentNamingTheField(string question, int maxResults, string field)
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => _client.AskAsync(new AskRequest { Question = question, MaxResults = maxResults }, cancellationToken: TestContext.Current.CancellationToken).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal(field, Assert.Single(error.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations).Field);
    }
}
