using AlkPlatform.Guidelines.Tests.Workflow;
using Dapper;

namespace AlkPlatform.Guidelines.Tests.Storage;

public class ContentDurabilityTests
{
    [Fact]
    public void ContentStore_Connection_SyncsEveryCommitToDisk()
    {
        using var world = new WorkflowWorld();
        world.Draft();

        using var connection = world.Workflow.Store.Database.OpenConnection();

        // 2 is FULL: the WAL is synced before a commit returns, so an acknowledged publish survives a power loss.
        Assert.Equal(2L, connection.ExecuteScalar<long>("PRAGMA synchronous"));
        Assert.Equal("wal", connection.ExecuteScalar<string>("PRAGMA journal_mode"));
    }
}
