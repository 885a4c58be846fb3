using System.Reflection;
using DbUp;
using Microsoft.Data.Sqlite;

namespace AlkPlatform.Guidelines.Storage;

/// <summary>
/// A SQLite database file: one connection per operation, WAL journal synced on every commit, forward-only migrations on
/// open, and every time stored as <see cref="DateTimeOffsetHandler"/> writes it.
/// </summary>
public sealed class SqliteDatabase
{
    public string Path { get; }
    public string ConnectionString { get; }

    private SqliteDatabase(string path)
    {
        Path = path;
        ConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    /// <summary>Creates the file if needed, switches it to WAL and applies the migrations under <paramref name="scriptPrefix"/>.</summary>
    public static SqliteDatabase Open(string path, string scriptPrefix, Assembly? scripts = null)
    {
        DateTimeOffsetHandler.Register();
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }
        var database = new SqliteDatabase(path);
        using (var connection = database.OpenConnection())
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "PRAGMA journal_mode=WAL;";
            command.ExecuteNonQuery();
        }
        var result = DeployChanges.To.SqliteDatabase(database.ConnectionString)
            .WithScriptsEmbeddedInAssembly(scripts ?? typeof(SqliteDatabase).Assembly, name => name.StartsWith(scriptPrefix, StringComparison.Ordinal))
            .WithTransactionPerScript()
            .LogToNowhere()
            .Build()
            .PerformUpgrade();
        if (!result.Successful)
        {
            throw new InvalidOperationException($"Migrating {path} failed at {result.ErrorScript?.Name}: {result.Error.Message}", result.Error);
        }
        return database;
    }

    public SqliteConnection OpenConnection()
    {
        var connection = new SqliteConnection(ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        // FULL syncs the WAL on every commit: under NORMAL a power loss can undo commits already acknowledged (a publish, a log row).
        command.CommandText = "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=30000;";
        command.ExecuteNonQuery();
        return connection;
    }

    public const string ContentScripts = "AlkPlatform.Guidelines.Storage.Migrations.Content.";
}
