using AlkPlatform.Guidelines.Storage;
using Microsoft.Data.Sqlite;

namespace AlkPlatform.Recommendations.EvaluationLogs;

/// <summary>
/// Keeps the WAL short from its own connection, so checkpoints never run inside a commit callers wait on: a PASSIVE
/// checkpoint (never waits, never blocks the writer) every interval, and a RESTART once the log is long, which holds
/// the writer only for the frames PASSIVE had not copied yet. The writer's connection has automatic checkpoints off.
/// </summary>
internal sealed class WalCheckpointer(SqliteDatabase database, ILogger logger)
{
    /// <summary>WAL frames (pages) after which the checkpointer restarts the log rather than letting it grow.</summary>
    private const int RestartWalFrames = 4096;
    private static readonly TimeSpan CheckpointInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>Blocks its thread until <paramref name="writerDone"/>, then truncates the WAL the drained writer left.</summary>
    public void RunUntil(CancellationToken writerDone)
    {
        SqliteConnection? connection = null;
        try
        {
            connection = database.OpenConnection();
            using var command = connection.CreateCommand();
            // RESTART holds the write lock while it waits for readers: give up quickly and retry on the next tick instead.
            command.CommandText = "PRAGMA busy_timeout=20;";
            command.ExecuteNonQuery();
            while (!writerDone.WaitHandle.WaitOne(CheckpointInterval))
            {
                try
                {
                    var frames = Checkpoint(command, "PASSIVE");
                    if (frames >= RestartWalFrames)
                    {
                        Checkpoint(command, "RESTART");
                    }
                }
                catch (SqliteException ex)
                {
                    // A failed checkpoint costs only WAL length; the next tick tries again.
                    logger.LogWarning(ex, "Evaluation log checkpoint failed; retrying");
                }
            }
            // The writer has drained and stopped: leave the database file complete and the WAL empty.
            command.CommandText = "PRAGMA busy_timeout=5000;";
            command.ExecuteNonQuery();
            Checkpoint(command, "TRUNCATE");
        }
        catch (SqliteException ex)
        {
            logger.LogError(ex, "The evaluation log checkpointer stopped; SQLite replays or checkpoints the WAL on next open");
        }
        finally
        {
            connection?.Dispose();
        }
    }

    /// <summary>Runs one checkpoint and returns the WAL's length in frames.</summary>
    private static long Checkpoint(SqliteCommand command, string mode)
    {
        command.CommandText = $"PRAGMA wal_checkpoint({mode});";
        using var reader = command.ExecuteReader();
        return reader.Read() ? reader.GetInt64(1) : 0;
    }
}
