using System.Text.Json;
using AlkPlatform.Contracts.Ops.V1;
using AlkPlatform.Contracts.Recommendation.V1;
using AlkPlatform.Guidelines.Releases;
using AlkPlatform.Recommendations.EvaluationLogs;
using AlkPlatform.Recommendations.Releases;
using AlkPlatform.Testing;
using Grpc.Core;
using Microsoft.Data.Sqlite;
using CardSeverity = AlkPlatform.Guidelines.Content.CardSeverity;

namespace AlkPlatform.EvaluationLogs.Tests;

public sealed class CardFeedbackApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Feedback_IsCountedPerRuleAndRelease_WithOverrideRatesAndReasons_CommentMasked()
    {
        await using var host = new RecommendationServiceHost();
        var client = host.Recommendations();
        var feedback = host.Feedback();
        var outcomes = new[] { FeedbackOutcome.Accepted, FeedbackOutcome.Overridden, FeedbackOutcome.Overridden, FeedbackOutcome.Accepted };
        string releaseId = "";
        foreach (var outcome in outcomes)
        {
            var answer = await client.RecommendAsync(ReferencePatients.RelapsedRefractory70Kg, cancellationToken: Ct);
            releaseId = answer.Release.ReleaseId;
            var submitted = await feedback.SubmitFeedbackAsync(new SubmitFeedbackRequest
            {
                EvaluationId = answer.EvaluationId,
                CardId = "rr-alectinib",
                Outcome = outcome,
                OverrideReasonCode = outcome == FeedbackOutcome.Overridden ? "patient-preference" : "",
                Comment = "Patient John Doe prefers otherwise",
            }, cancellationToken: Ct);
            Assert.Equal(["R-RR-ALECTINIB"], submitted.RuleIds);
        }

        var summary = await host.Ops().GetFeedbackSummaryAsync(new GetFeedbackSummaryRequest { ReleaseId = releaseId }, cancellationToken: Ct);

        var rule = Assert.Single(summary.ByRule);
        Assert.Equal(("R-RR-ALECTINIB", releaseId, 2L, 2L, 0.5), (rule.RuleId, rule.ReleaseId, rule.Accepted, rule.Overridden, rule.OverrideRate));
        Assert.Equal(("patient-preference", 2L), (summary.OverrideReasons[0].ReasonCode, summary.OverrideReasons[0].Count));
        await using var connection = new SqliteConnection($"Data Source={host.DatabasePath}");
        await connection.OpenAsync(Ct);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM card_feedback_history WHERE comment LIKE '%John%'";
        Assert.Equal(0L, (long)(await command.ExecuteScalarAsync(Ct))!);
    }

    [Fact]
    public async Task Feedback_OnACardTheEvaluationDidNotReturn_IsRejected()
    {
        await using var host = new RecommendationServiceHost();
        var answer = await host.Recommendations().RecommendAsync(ReferencePatients.RelapsedRefractory70Kg, cancellationToken: Ct);

        var wrongCard = await Assert.ThrowsAsync<RpcException>(() => host.Feedback().SubmitFeedbackAsync(new SubmitFeedbackRequest
        {
            EvaluationId = answer.EvaluationId, CardId = "frontline-chemo", Outcome = FeedbackOutcome.Accepted,
        }, cancellationToken: Ct).ResponseAsync);
        var noReason = await Assert.ThrowsAsync<RpcException>(() => host.Feedback().SubmitFeedbackAsync(new SubmitFeedbackRequest
        {
            EvaluationId = answer.EvaluationId, CardId = "rr-alectinib", Outcome = FeedbackOutcome.Overridden,
        }, cancellationToken: Ct).ResponseAsync);
        var unknown = await Assert.ThrowsAsync<RpcException>(() => host.Feedback().SubmitFeedbackAsync(new SubmitFeedbackRequest
        {
            EvaluationId = Guid.CreateVersion7().ToString(), CardId = "rr-alectinib", Outcome = FeedbackOutcome.Accepted,
        }, cancellationToken: Ct).ResponseAsync);

        Assert.Equal("card_id", InvalidField(wrongCard));
        Assert.Equal("override_reason_code", InvalidField(noReason));
        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);
    }

    /// <summary>The one field an InvalidArgument refusal names in its google.rpc.BadRequest.</summary>
    private static string InvalidField(RpcException error)
    {
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        return Assert.Single(error.GetRpcStatus()!.GetDetail<Google.Rpc.BadRequest>()!.FieldViolations).Field;
    }
}
