using AlkPlatform.Guidelines.Storage;
using Microsoft.Data.Sqlite;

namespace AlkPlatform.Recommendations.Storage;

public static class DurableConnections
{
    /// <summary>
    /// A connection whose commits reach the disk before they return (<c>synchronous=FULL</c>: the WAL is fsynced at each
    /// commit), so an activation, log row or feedback the service acknowledged survives a power loss, not only a crash.
    /// </summary>
    public static SqliteConnection OpenDurableConnection(this SqliteDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        var connection = database.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA synchronous=FULL;";
        command.ExecuteNonQuery();
        return connection;
    }
}
