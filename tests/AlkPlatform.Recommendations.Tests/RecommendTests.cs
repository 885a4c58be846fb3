using AlkPlatform.Contracts.Recommendation.V1;
using AlkPlatform.Guidelines.Releases;
using AlkPlatform.Testing;
using Google.Rpc;
using Grpc.Core;

namespace AlkPlatform.Recommendations.Tests;

public class RecommendTests : IDisposable
{
    private readonly RecommendationServiceHost _service = new();
    private readonly RecommendationService.RecommendationServiceClient _client;

    public RecommendTests() => _client = _service.Recommendations();

    public void Dispose() => _service.Dispose();

    [Fact]
    public async Task Recommend_RelapsedRefractory70KgWithoutCns_AlectinibWithDoseCitationsAvoidRituximabAndProvenance()
    {
        var response = await _client.RecommendAsync(ReferencePatients.RelapsedRefractory70Kg, cancellationToken: TestContext.Current.CancellationToken);

        var alectinib = Assert.Single(response.Cards, c => c.Id == "rr-alectinib");
        Assert.Equal(CardKind.Recommend, alectinib.Kind);
        Assert.Equal("alectinib", alectinib.Therapy.Drug);
        Assert.True(alectinib.Therapy.DoseResolved);
        Assert.Equal(300, alectinib.Therapy.Dose);
        Assert.Equal("mg", alectinib.Therapy.Unit);
        Assert.Equal("twice daily", alectinib.Therapy.Frequency);
        Assert.Equal("Reduce to 150 mg twice daily for patients <35 kg.", alectinib.Therapy.WeightBasedAdjustment);
        Assert.Contains(alectinib.Citations, c => c.Number == 2 && c.Text.Contains("phase II trial of alectinib", StringComparison.Ordinal));
        Assert.Contains("rr-alectinib-dose", alectinib.StatementIds);
        Assert.Equal(["R-RR-ALECTINIB"], alectinib.RuleIds);
        Assert.Contains("ALCL", alectinib.EvidencePopulation, StringComparison.Ordinal);

        var rituximab = response.Cards[0];
        Assert.Equal("avoid-rituximab", rituximab.Id);
        Assert.Equal(CardKind.Avoid, rituximab.Kind);
        Assert.Equal(Severity.Critical, rituximab.Severity);
        Assert.All(response.Cards, c => Assert.InRange(c.Summary.Length, 1, 140));

        var seed = BundledSeedRelease.Create();
        Assert.Equal("alk-lbcl", response.Release.GuidelineId);
        Assert.Equal(1, response.Release.RevisionNumber);
        Assert.Equal(seed.ContentHash, response.Release.ContentHash);
        Assert.Equal(seed.ReleaseId, response.Release.ReleaseId);
        Assert.Equal("2026-01-09", response.Release.LastReviewed);
        Assert.Equal(new DateTime(2026, 1, 9, 0, 0, 0, DateTimeKind.Utc), response.Release.ApprovedAt.ToDateTime());
        Assert.StartsWith("bootstrap", response.Release.ApprovalBasis, StringComparison.Ordinal);
        Assert.True(Guid.TryParse(response.EvaluationId, out _));
        Assert.Contains(response.Explanation, e => e.RuleId == "R-RR-ALECTINIB" && e.Facts.Any(f => f.Fact == "weight_kg" && f.Value == "70"));
    }

    [Fact]
    public async Task Recommend_EachCall_GetsItsOwnEvaluationId()
    {
        var first = await _client.RecommendAsync(ReferencePatients.RelapsedRefractory70Kg, cancellationToken: TestContext.Current.CancellationToken);
        var second = await _client.RecommendAsync(ReferencePatients.RelapsedRefractory70Kg, cancellationToken: TestContext.Current.CancellationToken);

        Assert.NotEqual(first.EvaluationId, second.EvaluationId);
    }

    [Fact]
    public async Task Recommend_WeightUnknown_ReportsMissingWeightWithTheDoseItDecides()
    {
        var request = ReferencePatients.RelapsedRefractory70Kg;
        request.Facts.ClearWeightKg();

        var response = await _client.RecommendAsync(request, cancellationToken: TestContext.Current.CancellationToken);

        var alectinib = Assert.Single(response.Cards, c => c.Id == "rr-alectinib");
        Assert.False(alectinib.Therapy.DoseResolved);
        Assert.Equal([150d, 300d], alectinib.Therapy.DoseOptions.Select(o => o.Dose));
        var weight = Assert.Single(response.MissingFacts, m => m.Fact == "weight_kg");
        Assert.Equal("What is the patient's body weight in kg?", weight.Question);
    }

    [Fact]
    public async Task Recommend_CnsDiseaseAndNoAlectinib_ReturnsCriticalConflictCardFirst()
    {
        var request = ReferencePatients.RelapsedRefractory70Kg;
        request.Facts.CnsInvolvement = TriState.Yes;
        request.Facts.AlectinibAvailable = TriState.No;

        var response = await _client.RecommendAsync(request, cancellationToken: TestContext.Current.CancellationToken);

        var conflict = response.Cards[0];
        Assert.Equal(Severity.Critical, conflict.Severity);
        Assert.StartsWith("conflict:", conflict.Id, StringComparison.Ordinal);
        Assert.Contains("rr-crizotinib-if-unavailable", conflict.StatementIds);
        Assert.Contains("pitfall-crizotinib-cns", conflict.StatementIds);
        Assert.Contains(response.Cards, c => c.Id == "rr-crizotinib");
        Assert.Contains(response.Cards, c => c.Id == "avoid-crizotinib-cns");
    }

    [Fact]
    public async Task Recommend_PatientAudience_AnswersFromTheSameRelease()
    {
        var request = ReferencePatients.RelapsedRefractory70Kg;
        request.Audience = Audience.Patient;

        var response = await _client.RecommendAsync(request, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Contains(response.Cards, c => c.Id == "rr-alectinib");
    }

    private static async Task<BadRequest> InvalidArgument(Func<Task> call)
    {
        var error = await Assert.ThrowsAsync<RpcException>(call);
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        var badRequest = error.GetRpcStatus()?.GetDetail<BadRequest>();
        Assert.NotNull(badRequest);
        return badRequest;
    }

    [Theory]
    [InlineData(0, "must be greater than 0 kg")]
    [InlineData(-5, "must be greater than 0 kg")]
    [InlineData(900, "implausible")]
    [InlineData(double.NaN, "finite")]
    public async Task Recommend_BadWeight_IsInvalidArgumentNamingTheField(double weight, string reason)
    {
        var badRequest = await InvalidArgument(() => _client.RecommendAsync(ReferencePatients.RelapsedRefractory(weight), cancellationToken: TestContext.Current.CancellationToken).ResponseAsync);

        var violation = Assert.Single(badRequest.FieldViolations);
        Assert.Equal("facts.weight_kg", violation.Field);
        Assert.Contains(reason, violation.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Recommend_SeveralBadFields_NamesEachOne()
    {
        var request = ReferencePatients.RelapsedRefractory70Kg;
        request.Facts.AgeYears = -1;
        request.Facts.CnsInvolvement = (TriState)42;
        request.Facts.LineOfTherapy = (LineOfTherapy)7;
        request.Audience = (Audience)9;

        var badRequest = await InvalidArgument(() => _client.RecommendAsync(request, cancellationToken: TestContext.Current.CancellationToken).ResponseAsync);

        Assert.Equal(
            ["audience", "facts.age_years", "facts.cns_involvement", "facts.line_of_therapy"],
            badRequest.FieldViolations.Select(v => v.Field).Order(StringComparer.Ordinal));
        Assert.Contains(badRequest.FieldViolations, v => v.Field == "facts.cns_involvement" && v.Description == "unknown value 42");
    }

    [Fact]
    public async Task Recommend_TakingAnUnavailableDrug_IsContradictory()
    {
        var request = ReferencePatients.RelapsedRefractory70Kg;
        request.Facts.CurrentAlkInhibitor = AlkInhibitor.Crizotinib;
        request.Facts.CrizotinibAvailable = TriState.No;

        var badRequest = await InvalidArgument(() => _client.RecommendAsync(request, cancellationToken: TestContext.Current.CancellationToken).ResponseAsync);

        Assert.Contains(badRequest.FieldViolations, v => v.Field == "facts.crizotinib_available" && v.Description.Contains("contradicts", StringComparison.Ordinal));
        Assert.Contains(badRequest.FieldViolations, v => v.Field == "facts.current_alk_inhibitor");
    }

    [Fact]
    public async Task Recommend_UnknownGuideline_IsNotFound()
    {
        var request = ReferencePatients.RelapsedRefractory70Kg;
        request.GuidelineId = "dlbcl";

        var error = await Assert.ThrowsAsync<RpcException>(() => _client.RecommendAsync(request, cancellationToken: TestContext.Current.CancellationToken).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Contains("dlbcl", error.Status.Detail, StringComparison.Ordinal);
    }
}
