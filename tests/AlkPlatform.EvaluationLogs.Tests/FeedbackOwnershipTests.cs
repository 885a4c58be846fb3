using AlkPlatform.Contracts.Ops.V1;
using AlkPlatform.Contracts.Recommendation.V1;
using AlkPlatform.Recommendations.Storage;
using AlkPlatform.Testing;
using Grpc.Core;
using Microsoft.Data.Sqlite;

namespace AlkPlatform.EvaluationLogs.Tests;

/// <summary>
/// Feedback belongs to the app that received the evaluation: another app, even one allowed to give feedback, is refused;
/// every submission is kept, and the summaries count the latest per evaluation and card.
/// </summary>
public sealed class FeedbackOwnershipTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Feedback_FromAnotherAppWithFeedbackWrite_IsPermissionDenied_AndNothingIsKept()
    {
        await using var host = new RecommendationServiceHost();
        var answer = await host.Recommendations(app: LocalIdentityHost.EhrDemoApp).RecommendAsync(ReferencePatients.RelapsedRefractory70Kg, cancellationToken: Ct);

        var refused = await Assert.ThrowsAsync<RpcException>(() => host.Feedback(app: LocalIdentityHost.WardDemoApp).SubmitFeedbackAsync(
            Overridden(answer.EvaluationId), cancellationToken: Ct).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
        Assert.Contains("only the app that received an evaluation may give feedback on it", refused.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(0L, await ScalarAsync(host.DatabasePath, "SELECT count(*) FROM card_feedback_history"));
        var summary = await host.Ops().GetFeedbackSummaryAsync(new GetFeedbackSummaryRequest(), cancellationToken: Ct);
        Assert.Empty(summary.ByRule);
    }

    [Fact]
    public async Task Feedback_ResubmittedByTheOwner_KeepsEverySubmission_AndOnlyTheLatestCounts()
    {
        await using var host = new RecommendationServiceHost();
        var answer = await host.Recommendations().RecommendAsync(ReferencePatients.RelapsedRefractory70Kg, cancellationToken: Ct);
        var feedback = host.Feedback(clientApp: "ehr-label");

        await feedback.SubmitFeedbackAsync(new SubmitFeedbackRequest { EvaluationId = answer.EvaluationId, CardId = "rr-alectinib", Outcome = FeedbackOutcome.Accepted }, cancellationToken: Ct);
        await feedback.SubmitFeedbackAsync(Overridden(answer.EvaluationId), cancellationToken: Ct);

        var summary = await host.Ops().GetFeedbackSummaryAsync(new GetFeedbackSummaryRequest(), cancellationToken: Ct);
        var rule = Assert.Single(summary.ByRule);
        Assert.Equal((0L, 1L, 1.0), (rule.Accepted, rule.Overridden, rule.OverrideRate));
        Assert.Equal(2L, await ScalarAsync(host.DatabasePath, "SELECT count(*) FROM card_feedback_history"));
        Assert.Equal($"{LocalIdentityHost.EhrDemoAppId}|EHR demo app|ehr-label", await TextAsync(host.DatabasePath,
            "SELECT caller || '|' || caller_name || '|' || claimed_caller FROM card_feedback_history ORDER BY feedback_id LIMIT 1"));
    }

    [Fact]
    public async Task FeedbackHistory_RefusesUpdates()
    {
        await using var host = new RecommendationServiceHost();
        var answer = await host.Recommendations().RecommendAsync(ReferencePatients.RelapsedRefractory70Kg, cancellationToken: Ct);
        await host.Feedback().SubmitFeedbackAsync(Overridden(answer.EvaluationId), cancellationToken: Ct);

        var refused = await Assert.ThrowsAsync<SqliteException>(() => ScalarAsync(host.DatabasePath, "UPDATE card_feedback_history SET outcome = 1 RETURNING 0"));

        Assert.Contains("card_feedback_history is append-only", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upgrade_RecordsAndFeedbackFromBeforeVerifiedCallers_KeepTheHeaderAsAClaim_AndHaveNoOwner()
    {
        var data = Directory.CreateTempSubdirectory("alk-upgrade-").FullName;
        var path = Path.Combine(data, "recommendations.db");
        foreach (var script in new[] { "0001", "0002", "0003", "0004", "0005" })
        {
            RecommendationsDatabase.Open(path, RecommendationsDatabase.ScriptPrefix + script);
        }
        var evaluationId = Guid.CreateVersion7().ToString();
        // Recent, so retention keeps them.
        var at = DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeMilliseconds();
        await ScalarAsync(path, $"""
            INSERT INTO evaluation_logs (seq, evaluation_id, occurred_at_ms, method, caller, guideline_id, release_id, revision_number, content_hash,
                                         audience, input_json, cards_json, rules_fired, missing_facts, severity_mask, status_code, status_message,
                                         latency_us, trace_id, masked_fields)
            VALUES (1, '{evaluationId}', {at}, 1, 'old-ehr-header', 'alk-lbcl', 'alk-lbcl@r1', 1, 'h', 1, '{"{}"}',
                    '[{"{"}"id":"rr-alectinib","kind":1,"severity":1,"rules":["R-RR-ALECTINIB"]{"}"}]', '[]', '[]', 2, 0, '', 10, '', '[]');
            INSERT INTO card_feedback (evaluation_id, card_id, guideline_id, release_id, rule_ids, outcome, override_reason_code, comment,
                                       masked_fields, caller, submitted_at_ms)
            VALUES ('{evaluationId}', 'rr-alectinib', 'alk-lbcl', 'alk-lbcl@r1', '["R-RR-ALECTINIB"]', 2, 'patient-preference', '', '[]', 'old-ehr-header', {at + 1000})
            RETURNING 0;
            """);
        try
        {
            await using var host = new RecommendationServiceHost(dataDirectory: data);
            var record = (await host.Ops().GetEvaluationLogAsync(new GetEvaluationLogRequest { EvaluationId = evaluationId }, cancellationToken: Ct)).Record;
            var summary = await host.Ops().GetFeedbackSummaryAsync(new GetFeedbackSummaryRequest(), cancellationToken: Ct);
            var refused = await Assert.ThrowsAsync<RpcException>(() => host.Feedback().SubmitFeedbackAsync(Overridden(evaluationId), cancellationToken: Ct).ResponseAsync);

            Assert.Equal(("", "old-ehr-header"), (record.Caller, record.ClaimedCaller));
            Assert.Equal((1L, "alk-lbcl@r1"), (Assert.Single(summary.ByRule).Overridden, summary.ByRule[0].ReleaseId));
            Assert.Equal("old-ehr-header", await TextAsync(host.DatabasePath, "SELECT claimed_caller FROM card_feedback_history"));
            Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }
    }

    private static SubmitFeedbackRequest Overridden(string evaluationId) => new()
    {
        EvaluationId = evaluationId,
        CardId = "rr-alectinib",
        Outcome = FeedbackOutcome.Overridden,
        OverrideReasonCode = "patient-preference",
    };

    private static async Task<long> ScalarAsync(string path, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={path}");
        await connection.OpenAsync(Ct);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(Ct), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<string> TextAsync(string path, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={path}");
        await connection.OpenAsync(Ct);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (string)(await command.ExecuteScalarAsync(Ct))!;
    }
}
