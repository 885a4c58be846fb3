using System.Text.Json;
using AlkPlatform.Contracts.Ops.V1;
using AlkPlatform.Contracts.Recommendation.V1;
using AlkPlatform.Guidelines.Content;
using AlkPlatform.Guidelines.Releases;
using AlkPlatform.Recommendations.EvaluationLogs;
using AlkPlatform.Testing;
using Grpc.Core;
using Microsoft.Data.Sqlite;
using CardSeverity = AlkPlatform.Guidelines.Content.CardSeverity;

namespace AlkPlatform.EvaluationLogs.Tests;

public sealed class WalCheckpointerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Checkpointing_RunsOffTheWriter_AndShutdownLeavesEveryRecordInTheDatabaseFileWithAnEmptyWal()
    {
        await using var host = new RecommendationServiceHost();
        var client = host.Recommendations();
        var ids = new List<string>();
        foreach (var batch in Enumerable.Range(0, 4))
        {
            var calls = Enumerable.Range(0, 25).Select(_ => client.RecommendAsync(ReferencePatients.RelapsedRefractory70Kg, cancellationToken: Ct).ResponseAsync);
            ids.AddRange((await Task.WhenAll(calls)).Select(a => a.EvaluationId));
        }
        var writer = host.Get<GroupCommitLogWriter>();

        await writer.StopAsync(Ct);

        // The writer's connection never checkpoints; the background checkpointer's final TRUNCATE moved everything over.
        // Closing the last connection (another test clearing the pools) may delete the file while it is looked at.
        long walBytes;
        try
        {
            walBytes = new FileInfo(host.DatabasePath + "-wal").Length;
        }
        catch (FileNotFoundException)
        {
            walBytes = 0;
        }
        Assert.True(walBytes == 0, $"WAL still holds {walBytes} bytes after shutdown");
        await using var check = new SqliteConnection($"Data Source={host.DatabasePath};Pooling=False");
        await check.OpenAsync(Ct);
        using var command = check.CreateCommand();
        command.CommandText = "PRAGMA integrity_check;";
        Assert.Equal("ok", (string?)await command.ExecuteScalarAsync(Ct));
        command.CommandText = $"SELECT count(*) FROM evaluation_logs WHERE evaluation_id IN ({string.Join(',', ids.Select(id => $"'{id}'"))});";
        Assert.Equal(ids.Count, Convert.ToInt32(await command.ExecuteScalarAsync(Ct), System.Globalization.CultureInfo.InvariantCulture));
    }
}
