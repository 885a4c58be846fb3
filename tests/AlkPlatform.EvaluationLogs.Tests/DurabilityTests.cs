using AlkPlatform.Recommendations.EvaluationLogs;
using AlkPlatform.Recommendations.Storage;
using AlkPlatform.Testing;

namespace AlkPlatform.EvaluationLogs.Tests;

/// <summary>
/// An answer leaves only after its log row is committed, and a release goes live only after its activation is: both
/// commits must survive a power loss, which in WAL mode takes <c>synchronous=FULL</c> (2) on the committing connection.
/// </summary>
public sealed class DurabilityTests
{
    private const int Full = 2;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task LogWriter_InTheRunningService_CommitsWithSynchronousFull()
    {
        await using var host = new RecommendationServiceHost();
        // An answered call proves the writer's connection is open and committing.
        await host.Recommendations().RecommendAsync(ReferencePatients.RelapsedRefractory70Kg, cancellationToken: Ct);

        Assert.Equal(Full, host.Get<GroupCommitLogWriter>().SynchronousLevel);
    }

    [Fact]
    public void DurableConnection_OfTheServiceDatabase_ReportsSynchronousFull()
    {
        using var world = new WriterWorld();
        var database = world.OpenDatabase();

        using var connection = database.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA synchronous;";

        Assert.Equal(Full, Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture));
    }
}
