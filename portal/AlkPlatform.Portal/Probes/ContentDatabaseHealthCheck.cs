using AlkPlatform.Guidelines.Workflow;
using Dapper;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AlkPlatform.Portal.Probes;

/// <summary>Ready while the content database opens and answers a read: every page and the release feed need it.</summary>
public sealed class ContentDatabaseHealthCheck(GuidelineWorkflow workflow) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = workflow.Store.Database.OpenConnection();
            var guidelines = await connection.ExecuteScalarAsync<long>(
                new CommandDefinition("SELECT count(*) FROM guidelines", cancellationToken: cancellationToken));
            return HealthCheckResult.Healthy($"The content database answers ({guidelines} guidelines)");
        }
        catch (Exception exception) when (exception is Microsoft.Data.Sqlite.SqliteException or IOException or UnauthorizedAccessException)
        {
            return HealthCheckResult.Unhealthy($"The content database does not answer: {exception.Message}");
        }
    }
}
