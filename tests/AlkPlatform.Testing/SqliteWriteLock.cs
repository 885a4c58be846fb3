using Microsoft.Data.Sqlite;

namespace AlkPlatform.Testing;

/// <summary>
/// An open write transaction on a connection of its own, as another process holding the database would be: the service's
/// writer stalls on its next commit until this is disposed, which commits and releases the lock.
/// </summary>
public sealed class SqliteWriteLock : IDisposable
{
    private readonly SqliteConnection _connection;

    private SqliteWriteLock(SqliteConnection connection) => _connection = connection;

    public static SqliteWriteLock Hold(string databasePath)
    {
        var connection = new SqliteConnection($"Data Source={databasePath};Pooling=False");
        connection.Open();
        using var begin = connection.CreateCommand();
        begin.CommandText = "BEGIN IMMEDIATE;";
        begin.ExecuteNonQuery();
        return new SqliteWriteLock(connection);
    }

    public void Dispose()
    {
        using (var commit = _connection.CreateCommand())
        {
            commit.CommandText = "COMMIT;";
            commit.ExecuteNonQuery();
        }
        _connection.Dispose();
    }
}
