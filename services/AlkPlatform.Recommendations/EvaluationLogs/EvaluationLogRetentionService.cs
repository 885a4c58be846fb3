using AlkPlatform.Guidelines.Storage;
using Dapper;
using Microsoft.Extensions.Options;

namespace AlkPlatform.Recommendations.EvaluationLogs;

/// <summary>
/// Deletes records and feedback older than the configured age, a small batch per transaction, yielding between
/// batches so the group-commit writer never waits behind a long delete.
/// </summary>
public sealed class EvaluationLogRetentionService(
    SqliteDatabase database, IOptions<EvaluationLogOptions> options, TimeProvider clock, ILogger<EvaluationLogRetentionService> logger)
    : BackgroundService
{
    private readonly EvaluationLogOptions _options = options.Value;

    /// <summary>Deletes everything past the retention age; returns the number of evaluation records deleted.</summary>
    public async Task<long> PurgeExpiredAsync(CancellationToken cancellationToken)
    {
        var cutoffMs = (clock.GetUtcNow() - _options.RetentionAge).ToUnixTimeMilliseconds();
        var batch = Math.Max(1, _options.RetentionBatchSize);
        long deleted = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            int rows, feedbackRows, abstentionRows;
            using (var connection = database.OpenConnection())
            using (var transaction = connection.BeginTransaction())
            {
                rows = connection.Execute(
                    """
                    DELETE FROM evaluation_logs WHERE seq IN (
                        SELECT seq FROM evaluation_logs WHERE occurred_at_ms < @cutoffMs ORDER BY occurred_at_ms, seq LIMIT @batch)
                    """, new { cutoffMs, batch }, transaction);
                // Abstentions and their terms age out with their records, by the same time.
                abstentionRows = connection.Execute(
                    """
                    DELETE FROM evaluation_abstentions WHERE seq IN (
                        SELECT seq FROM evaluation_abstentions WHERE occurred_at_ms < @cutoffMs ORDER BY occurred_at_ms LIMIT @batch)
                    """, new { cutoffMs, batch }, transaction);
                abstentionRows = Math.Max(abstentionRows, connection.Execute(
                    """
                    DELETE FROM evaluation_unknown_terms WHERE (term, occurred_at_ms, seq) IN (
                        SELECT term, occurred_at_ms, seq FROM evaluation_unknown_terms WHERE occurred_at_ms < @cutoffMs ORDER BY occurred_at_ms LIMIT @batch)
                    """, new { cutoffMs, batch }, transaction));
                feedbackRows = connection.Execute(
                    """
                    DELETE FROM card_feedback_history WHERE feedback_id IN (
                        SELECT feedback_id FROM card_feedback_history WHERE submitted_at_ms < @cutoffMs ORDER BY submitted_at_ms LIMIT @batch)
                    """, new { cutoffMs, batch }, transaction);
                transaction.Commit();
            }
            deleted += rows;
            if (rows < batch && feedbackRows < batch && abstentionRows < batch)
            {
                break;
            }
            // Let the writer take the lock between batches.
            await Task.Delay(TimeSpan.FromMilliseconds(5), cancellationToken).ConfigureAwait(false);
        }
        return deleted;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.RetentionInterval);
        do
        {
            try
            {
                var deleted = await PurgeExpiredAsync(stoppingToken).ConfigureAwait(false);
                // Keeps the planner's statistics current as the log grows, so filtered queries pick the right index.
                using (var connection = database.OpenConnection())
                {
                    connection.Execute("PRAGMA optimize;");
                }
                if (deleted > 0)
                {
                    logger.LogInformation("Retention deleted {Count} evaluation log records older than {Age}", deleted, _options.RetentionAge);
                }
            }
            catch (Microsoft.Data.Sqlite.SqliteException ex)
            {
                logger.LogWarning(ex, "Retention pass failed; retrying at the next interval");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }
}
