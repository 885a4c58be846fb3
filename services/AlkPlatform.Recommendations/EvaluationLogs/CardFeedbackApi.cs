using System.Text.RegularExpressions;
using AlkPlatform.Contracts.Ops.V1;
using AlkPlatform.Contracts.Recommendation.V1;
using AlkPlatform.Guidelines.Storage;
using AlkPlatform.Recommendations.Authentication;
using AlkPlatform.Recommendations.Validation;
using Dapper;
using Google.Rpc;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace AlkPlatform.Recommendations.EvaluationLogs;

/// <summary>
/// Clinicians' feedback on a card they were shown (CDS Hooks style). Counted against the release that answered and the
/// rules behind the card, both taken from the evaluation's log record, never from the caller. Only the app that received
/// the evaluation may give feedback on it; every submission is kept, and the latest per evaluation and card counts.
/// </summary>
[Authorize(Policy = CallerPolicies.FeedbackWrite)]
public sealed partial class CardFeedbackApi(
    EvaluationLogQueries queries, SqliteDatabase database, IOptions<EvaluationLogOptions> options, TimeProvider clock,
    CallerAuthentication authentication)
    : FeedbackService.FeedbackServiceBase
{
    private const int MaxCommentLength = 1000;

    public override Task<SubmitFeedbackResponse> SubmitFeedback(SubmitFeedbackRequest request, ServerCallContext context)
    {
        List<BadRequest.Types.FieldViolation>? violations = null;
        if (!Guid.TryParse(request.EvaluationId, out _))
        {
            FieldViolations.Add(ref violations, "evaluation_id", "must be an evaluation id returned by Recommend");
        }
        if (request.CardId.Length == 0)
        {
            FieldViolations.Add(ref violations, "card_id", "is required");
        }
        if (request.Outcome is not (FeedbackOutcome.Accepted or FeedbackOutcome.Overridden))
        {
            FieldViolations.Add(ref violations, "outcome", "must be FEEDBACK_OUTCOME_ACCEPTED or FEEDBACK_OUTCOME_OVERRIDDEN");
        }
        if (request.Outcome == FeedbackOutcome.Overridden && request.OverrideReasonCode.Length == 0)
        {
            FieldViolations.Add(ref violations, "override_reason_code", "is required when the card was overridden");
        }
        if (request.OverrideReasonCode.Length > 0 && !ReasonCode().IsMatch(request.OverrideReasonCode))
        {
            FieldViolations.Add(ref violations, "override_reason_code", "must be 1 to 64 letters, digits, '-', '_' or '.'");
        }
        if (request.Comment.Length > MaxCommentLength)
        {
            FieldViolations.Add(ref violations, "comment", $"must be at most {MaxCommentLength} characters");
        }
        FieldViolations.ThrowIfAny(violations, "feedback");

        var row = queries.Find(request.EvaluationId)
            ?? throw new RpcException(new Grpc.Core.Status(StatusCode.NotFound, $"No evaluation '{request.EvaluationId}' is on record."));
        var http = context.GetHttpContext();
        var caller = authentication.CallerOf(http);
        // A record written before callers were verified has no owner, so nobody can prove it is theirs.
        if (row.Caller.Length == 0 || !string.Equals(row.Caller, caller.AppId, StringComparison.OrdinalIgnoreCase))
        {
            throw new RpcException(new Grpc.Core.Status(StatusCode.PermissionDenied,
                $"Evaluation {request.EvaluationId} was not answered to this app: only the app that received an evaluation may give feedback on it."));
        }
        var card = EvaluationLogRow.ParseCards(row.CardsJson).Find(c => c.CardId == request.CardId);
        if (card is null || row.Method != (long)EvaluationMethod.Recommend)
        {
            throw FieldViolations.Invalid("card_id", $"is not one of the cards evaluation {request.EvaluationId} returned", "feedback");
        }

        var masked = new List<string>();
        var comment = EvaluationLogEncoder.MaskText(options.Value, "comment", request.Comment, masked);
        using (var connection = database.OpenConnection())
        {
            connection.Execute(
                """
                INSERT INTO card_feedback_history (evaluation_id, card_id, guideline_id, release_id, rule_ids, outcome, override_reason_code,
                                                   comment, masked_fields, caller, caller_name, claimed_caller, submitted_at_ms)
                VALUES (@EvaluationId, @CardId, @GuidelineId, @ReleaseId, @RuleIds, @Outcome, @Reason, @Comment, @Masked,
                        @Caller, @CallerName, @ClaimedCaller, @Now)
                """,
                new
                {
                    request.EvaluationId,
                    request.CardId,
                    row.GuidelineId,
                    row.ReleaseId,
                    RuleIds = EvaluationLogEncoder.StringArray([.. card.RuleIds]),
                    Outcome = (int)request.Outcome,
                    Reason = request.Outcome == FeedbackOutcome.Overridden ? request.OverrideReasonCode : "",
                    Comment = comment,
                    Masked = EvaluationLogEncoder.StringArray(masked),
                    Caller = caller.AppId,
                    CallerName = caller.Name,
                    ClaimedCaller = ClaimedCallerLabel.Of(http),
                    Now = clock.GetUtcNow().ToUnixTimeMilliseconds(),
                });
        }
        var response = new SubmitFeedbackResponse { ReleaseId = row.ReleaseId };
        response.RuleIds.AddRange(card.RuleIds);
        return Task.FromResult(response);
    }

    /// <summary>
    /// Accepted and overridden counts per release and rule, and the override reasons, for the ops API: each evaluation's card
    /// counts once, as its latest submission says.
    /// </summary>
    public static GetFeedbackSummaryResponse Summarize(SqliteDatabase database, GetFeedbackSummaryRequest request)
    {
        var where = "WHERE f.feedback_id IN (SELECT max(h.feedback_id) FROM card_feedback_history h GROUP BY h.evaluation_id, h.card_id)";
        var parameters = new DynamicParameters();
        if (request.From is { } from)
        {
            where += " AND f.submitted_at_ms >= @fromMs";
            parameters.Add("fromMs", from.ToDateTimeOffset().ToUnixTimeMilliseconds());
        }
        if (request.To is { } to)
        {
            where += " AND f.submitted_at_ms < @toMs";
            parameters.Add("toMs", to.ToDateTimeOffset().ToUnixTimeMilliseconds());
        }
        if (request.GuidelineId.Length > 0)
        {
            where += " AND f.guideline_id = @guidelineId";
            parameters.Add("guidelineId", request.GuidelineId);
        }
        if (request.ReleaseId.Length > 0)
        {
            where += " AND f.release_id = @releaseId";
            parameters.Add("releaseId", request.ReleaseId);
        }
        using var connection = database.OpenConnection();
        var response = new GetFeedbackSummaryResponse();
        foreach (var (releaseId, ruleId, accepted, overridden) in connection.Query<(string, string, long, long)>(
                     $"""
                     SELECT f.release_id, r.value, sum(f.outcome = 1), sum(f.outcome = 2)
                     FROM card_feedback_history f, json_each(f.rule_ids) r {where}
                     GROUP BY f.release_id, r.value ORDER BY f.release_id, r.value
                     """, parameters))
        {
            response.ByRule.Add(new RuleFeedback
            {
                ReleaseId = releaseId,
                RuleId = ruleId,
                Accepted = accepted,
                Overridden = overridden,
                OverrideRate = accepted + overridden == 0 ? 0 : (double)overridden / (accepted + overridden),
            });
        }
        foreach (var (reason, count) in connection.Query<(string, long)>(
                     $"SELECT f.override_reason_code, count(*) FROM card_feedback_history f {where} AND f.outcome = 2 GROUP BY 1 ORDER BY 2 DESC, 1", parameters))
        {
            response.OverrideReasons.Add(new OverrideReasonCount { ReasonCode = reason, Count = count });
        }
        return response;
    }

    // \z, not $: $ also matches before a final newline, which would let "code\n" through.
    [GeneratedRegex(@"^[A-Za-z0-9._-]{1,64}\z")]
    private static partial Regex ReasonCode();
}
