using AlkPlatform.Contracts.Recommendation.V1;
using Google.Rpc;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Reflection.V1Alpha;

namespace AlkPlatform.Recommendations.Tests;

public class GuidelineAndAskTests : IDisposable
{
    private readonly ServiceFactory _factory = new();
    private readonly Grpc.Net.Client.GrpcChannel _channel;
    private readonly RecommendationService.RecommendationServiceClient _client;

    public GuidelineAndAskTests()
    {
        _channel = _factory.CreateChannel();
        _client = new RecommendationService.RecommendationServiceClient(_channel);
    }

    public void Dispose() => _factory.Dispose();

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

    [Fact]
    public async Task ListGuidelines_ListsTheSeedWithItsRelease()
    {
        var response = await _client.ListGuidelinesAsync(new ListGuidelinesRequest(), cancellationToken: TestContext.Current.CancellationToken);

        var guideline = Assert.Single(response.Guidelines);
        Assert.Equal("alk-lbcl", guideline.Id);
        Assert.Equal(64, guideline.Release.ContentHash.Length);
    }

    [Fact]
    public async Task Health_ReportsServing()
    {
        var health = new Health.HealthClient(_channel);

        var response = await health.CheckAsync(new HealthCheckRequest(), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, response.Status);
    }

    [Fact]
    public async Task Reflection_ListsTheRecommendationService()
    {
        var reflection = new ServerReflection.ServerReflectionClient(_channel);
        using var call = reflection.ServerReflectionInfo(cancellationToken: TestContext.Current.CancellationToken);

        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" }, TestContext.Current.CancellationToken);
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext(TestContext.Current.CancellationToken));

        Assert.Contains(call.ResponseStream.Current.ListServicesResponse.Service, s => s.Name == "alk.recommendation.v1.RecommendationService");
    }
}
