using AlkPlatform.Contracts.Ops.V1;
using AlkPlatform.Contracts.Recommendation.V1;
using AlkPlatform.Testing;
using AlkPlatform.Testing.Generators;
using AlkPlatform.Testing.Properties;
using Grpc.Core;

namespace AlkPlatform.Recommendations.Tests.Properties;

/// <summary>
/// Generated feedback on real evaluations, unknown ones and garbage, checked against a model of what was accepted: after
/// every call the ops summary counts exactly the latest accepted outcome of each card, so a refused call changes nothing.
/// </summary>
[Trait(PropertyRuns.Trait, PropertyRuns.Category)]
public sealed class FeedbackProperties : IDisposable
{
    private readonly RecommendationServiceHost _service = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _service.Dispose();

    [Fact]
    public async Task SubmitFeedback_GeneratedRequests_SummaryCountsExactlyTheLatestAcceptedOutcomes()
    {
        var recommendations = _service.Recommendations();
        var evaluations = new Dictionary<string, RecommendResponse>(StringComparer.Ordinal);
        foreach (var request in new[] { ReferencePatients.RelapsedRefractory70Kg, ReferencePatients.RelapsedRefractoryWithCns(30), ReferencePatients.Frontline() })
        {
            var response = await recommendations.RecommendAsync(request, cancellationToken: Ct);
            evaluations[response.EvaluationId] = response;
        }
        // An Ask evaluation has no cards: feedback on it names a card it did not return.
        var ask = await recommendations.AskAsync(new() { Question = "rituximab" }, cancellationToken: Ct);
        List<(string, IReadOnlyList<string>)> known =
        [
            .. evaluations.Values.Select(e => (e.EvaluationId, (IReadOnlyList<string>)[.. e.Cards.Select(c => c.Id)])),
            (ask.EvaluationId, ["avoid-rituximab"]),
        ];
        var feedback = _service.Feedback();
        var ops = _service.Ops();
        var latest = new Dictionary<(string Evaluation, string Card), SubmitFeedbackRequest>();

        await PropertyRuns.CheckAsync(nameof(SubmitFeedback_GeneratedRequests_SummaryCountsExactlyTheLatestAcceptedOutcomes), ClinicalRequests.SubmitFeedback(known), async request =>
        {
            var broken = ClinicalFieldRules.SubmitFeedback(request);
            var card = evaluations.TryGetValue(request.EvaluationId, out var evaluation) ? evaluation.Cards.FirstOrDefault(c => c.Id == request.CardId) : null;
            try
            {
                var response = await feedback.SubmitFeedbackAsync(request, cancellationToken: Ct);
                // The model follows what the service accepted before judging it, so one wrong acceptance fails only its own case.
                latest[(request.EvaluationId, request.CardId)] = request;
                Assert.True(broken.Count == 0 && card is not null, $"accepted although it breaks [{string.Join(", ", broken)}] or names no card of a Recommend evaluation");
                Assert.Equal(evaluation!.Release.ReleaseId, response.ReleaseId);
                Assert.Equal(card!.RuleIds, response.RuleIds);
            }
            catch (RpcException refusal)
            {
                Assert.False(Refusals.Faults.Contains(refusal.StatusCode), $"generated feedback faulted the service: {Refusals.Describe(refusal)}");
                var named = Refusals.FieldsNamed(refusal);
                if (broken.Count > 0)
                {
                    Assert.True(refusal.StatusCode == StatusCode.InvalidArgument && named.SetEquals(broken),
                        $"expected InvalidArgument naming [{string.Join(", ", broken)}]; got {Refusals.Describe(refusal)}");
                }
                else if (!known.Any(k => k.Item1 == request.EvaluationId))
                {
                    Assert.Equal(StatusCode.NotFound, refusal.StatusCode);
                }
                else
                {
                    Assert.True(card is null && refusal.StatusCode == StatusCode.InvalidArgument && named.SetEquals(["card_id"]),
                        $"feedback on a card the evaluation returned was refused: {Refusals.Describe(refusal)}");
                }
            }

            var summary = await ops.GetFeedbackSummaryAsync(new GetFeedbackSummaryRequest(), cancellationToken: Ct);
            Assert.Equal(ExpectedByRule(latest, evaluations), summary.ByRule.Select(r => (r.ReleaseId, r.RuleId, r.Accepted, r.Overridden)));
            Assert.Equal(ExpectedReasons(latest), summary.OverrideReasons.Select(r => (r.ReasonCode, r.Count)).OrderBy(r => r.ReasonCode, StringComparer.Ordinal));
        });

        await ClinicalOutcome.AssertStillServesAsync(_service);
    }

    /// <summary>The case the property shrank to when the reason-code pattern ended in <c>$</c>, which also matches before a final newline.</summary>
    [Theory]
    [InlineData("x\n")]
    [InlineData("patient-preference\n")]
    public async Task SubmitFeedback_ReasonCodeEndingInANewline_IsRefusedNamingTheReasonCode(string reason)
    {
        var evaluation = await _service.Recommendations().RecommendAsync(ReferencePatients.RelapsedRefractory70Kg, cancellationToken: Ct);

        var refusal = await Assert.ThrowsAsync<RpcException>(() => _service.Feedback().SubmitFeedbackAsync(new SubmitFeedbackRequest
        {
            EvaluationId = evaluation.EvaluationId,
            CardId = "avoid-rituximab",
            Outcome = FeedbackOutcome.Overridden,
            OverrideReasonCode = reason,
        }, cancellationToken: Ct).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, refusal.StatusCode);
        Assert.Equal(["override_reason_code"], Refusals.FieldsNamed(refusal));
    }

    private static IEnumerable<(string, string, long, long)> ExpectedByRule(
        Dictionary<(string Evaluation, string Card), SubmitFeedbackRequest> latest, Dictionary<string, RecommendResponse> evaluations) =>
        latest.SelectMany(entry =>
            {
                var evaluation = evaluations[entry.Key.Evaluation];
                return evaluation.Cards.Single(c => c.Id == entry.Key.Card).RuleIds.Select(rule => (evaluation.Release.ReleaseId, rule, entry.Value.Outcome));
            })
            .GroupBy(x => (x.ReleaseId, x.rule))
            .OrderBy(g => g.Key.ReleaseId, StringComparer.Ordinal).ThenBy(g => g.Key.rule, StringComparer.Ordinal)
            .Select(g => (g.Key.ReleaseId, g.Key.rule, (long)g.Count(x => x.Outcome == FeedbackOutcome.Accepted), (long)g.Count(x => x.Outcome == FeedbackOutcome.Overridden)));

    private static IEnumerable<(string, long)> ExpectedReasons(Dictionary<(string Evaluation, string Card), SubmitFeedbackRequest> latest) =>
        latest.Values.Where(f => f.Outcome == FeedbackOutcome.Overridden)
            .GroupBy(f => f.OverrideReasonCode, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (g.Key, (long)g.Count()));
}
