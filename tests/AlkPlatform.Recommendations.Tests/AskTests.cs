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
        var response = await _client.AskAsync(new AskRequest { Question = "What dose of alectinib for a patient under 35 kg?" }, cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(response.Covered);
        Assert.Equal(AskAbstention.Unspecified, response.Abstention);
        Assert.Equal("rr-alectinib-dose", response.Hits[0].StatementId);
        Assert.Equal(["dose", "alectinib", "body-weight"], response.Hits[0].MatchedConcepts);
        Assert.Equal(["dose", "alectinib", "body-weight"], response.QuestionConcepts);
        Assert.Equal([2], response.Hits[0].Citations.Select(c => c.Number));
        Assert.Contains("150 mg", response.AnswerMarkdown, StringComparison.Ordinal);
        Assert.Equal("alk-lbcl", response.Release.GuidelineId);
    }

    [Theory]
    [InlineData("What dose of glofitamab is recommended?", "glofitamab")]
    [InlineData("Is brigatinib better than alectinib?", "brigatinib")]
    [InlineData("Can alectinib be given with warfarin?", "warfarin")]
    [InlineData("breathing problems while taking crizotinib", "breathing problems")]
    public async Task Ask_TermTheGuidelineNeverMentions_IsNotCoveredNamingTheTerm(string question, string term)
    {
        var response = await _client.AskAsync(new AskRequest { Question = question }, cancellationToken: TestContext.Current.CancellationToken);

        Assert.False(response.Covered);
        Assert.Equal(AskAbstention.UnknownTerms, response.Abstention);
        Assert.Equal([term], response.UnknownTerms);
        Assert.Empty(response.Hits);
        Assert.StartsWith($"Not covered by the approved guideline: '{term}'.", response.AnswerMarkdown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ask_ForAPopulationNoAnsweringStatementNames_IsNotCoveredNamingIt()
    {
        var response = await _client.AskAsync(new AskRequest { Question = "What dose of alectinib for a child under 35 kg?" }, cancellationToken: TestContext.Current.CancellationToken);

        Assert.False(response.Covered);
        Assert.Equal(AskAbstention.QualifierNotCovered, response.Abstention);
        Assert.Equal(["child"], response.Unanswered);
        Assert.Empty(response.UnknownTerms);
        Assert.StartsWith("Not covered by the approved guideline for 'child':", response.AnswerMarkdown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ask_KnownWordsNoStatementCoversTogether_IsNotCoveredNamingTheCombination()
    {
        var response = await _client.AskAsync(new AskRequest { Question = "Does lenalidomide penetrate the CNS?" }, cancellationToken: TestContext.Current.CancellationToken);

        Assert.False(response.Covered);
        Assert.Equal(AskAbstention.CombinationNotCovered, response.Abstention);
        Assert.Equal(["lenalidomide", "penetrate", "CNS"], response.Unanswered);
        Assert.Contains("addresses 'lenalidomide' together with 'penetrate' together with 'CNS'", response.AnswerMarkdown, StringComparison.Ordinal);
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
        Assert.Equal(["ibrutinib"], response.UnknownTerms);
        Assert.StartsWith("Not covered by the approved guideline: 'ibrutinib'.", response.AnswerMarkdown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ask_QueryOperatorsInTheQuestion_AreTreatedAsWords()
    {
        var response = await _client.AskAsync(new AskRequest { Question = "\"crizotinib\" NEAR( * OR pneumonitis) -- ; AND NOT" }, cancellationToken: TestContext.Current.CancellationToken);

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
