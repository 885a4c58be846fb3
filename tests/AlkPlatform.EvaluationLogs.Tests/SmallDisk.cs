using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace AlkPlatform.EvaluationLogs.Tests;

/// <summary>
/// A data directory on a disk that can really fill up and really turn read-only, for fault tests. Where the machine lets
/// the tests mount (root, as CI runs): a tmpfs of a few megabytes (full: a file takes the rest; space returns: the file
/// goes), and an ext4 image on a loop device (read-only: <c>remount,abort</c>, which the kernel applies to files already
/// open). Elsewhere the same faults come from SQLite itself: the log writer's page cap (<c>EvaluationLogs:MaxDatabaseBytes</c>)
/// reached by a filler table another connection writes. Never skipped: <see cref="Kind"/> says which one ran.
/// </summary>
public sealed class SmallDisk : IDisposable
{
    private const string FillerFile = "filler.bin";
    private readonly string _root;
    private readonly string? _mountPoint;
    private readonly string? _image;

    private SmallDisk(string root, string kind, string? mountPoint, string? image)
    {
        _root = root;
        Kind = kind;
        _mountPoint = mountPoint;
        _image = image;
        DataDirectory = Path.Combine(mountPoint ?? root, "data");
        Directory.CreateDirectory(DataDirectory);
    }

    public string Kind { get; }

    public string DataDirectory { get; }

    public string DatabasePath => Path.Combine(DataDirectory, "recommendations.db");

    /// <summary>Settings the service needs for this kind of disk (the page cap where nothing could be mounted).</summary>
    public Dictionary<string, string> ServiceSettings { get; } = new()
    {
        // One test process is one unauthenticated caller: the faults, not the rate limit, must refuse its calls.
        ["RateLimits:TokenLimit"] = "1000000",
        ["RateLimits:TokensPerPeriod"] = "1000000",
    };

    /// <summary>A tmpfs of <paramref name="megabytes"/> MB, or a plain directory under a page cap.</summary>
    public static SmallDisk Tmpfs(int megabytes)
    {
        var root = Directory.CreateTempSubdirectory("alk-disk-").FullName;
        var mountPoint = Path.Combine(root, "mnt");
        Directory.CreateDirectory(mountPoint);
        if (Run("mount", "-t", "tmpfs", "-o", $"size={megabytes}m", "tmpfs", mountPoint))
        {
            return new SmallDisk(root, "tmpfs", mountPoint, null);
        }
        return PageCapped(root, megabytes);
    }

    /// <summary>An ext4 image of <paramref name="megabytes"/> MB mounted on a loop device, or a plain directory under a page cap.</summary>
    public static SmallDisk Ext4(int megabytes)
    {
        var root = Directory.CreateTempSubdirectory("alk-disk-").FullName;
        var mountPoint = Path.Combine(root, "mnt");
        var image = Path.Combine(root, "disk.img");
        Directory.CreateDirectory(mountPoint);
        using (var file = File.Create(image))
        {
            file.SetLength(megabytes * 1024L * 1024);
        }
        if (Run("mkfs.ext4", "-q", "-F", image) && Run("mount", "-o", "loop", image, mountPoint))
        {
            return new SmallDisk(root, "ext4", mountPoint, image);
        }
        return PageCapped(root, megabytes);
    }

    private static SmallDisk PageCapped(string root, int megabytes)
    {
        var disk = new SmallDisk(root, "page cap", null, null);
        disk.ServiceSettings["EvaluationLogs:MaxDatabaseBytes"] = (megabytes * 1024L * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture);
        disk._capBytes = megabytes * 1024L * 1024;
        return disk;
    }

    private long _capBytes;

    /// <summary>Takes every free byte: the next write that needs space fails as on a full disk.</summary>
    public void Fill()
    {
        if (_mountPoint is not null)
        {
            using var filler = new FileStream(Path.Combine(_mountPoint, FillerFile), FileMode.Create, FileAccess.Write);
            var block = new byte[64 * 1024];
            try
            {
                while (true)
                {
                    filler.Write(block);
                    filler.Flush(flushToDisk: true);
                }
            }
            catch (IOException)
            {
                // No space left: exactly the state wanted.
            }
            return;
        }
        using var connection = Open();
        Execute(connection, "CREATE TABLE IF NOT EXISTS filler (b BLOB);");
        while (Scalar(connection, "PRAGMA page_count;") * Scalar(connection, "PRAGMA page_size;") < _capBytes)
        {
            Execute(connection, "INSERT INTO filler VALUES (zeroblob(65536));");
        }
    }

    /// <summary>Gives the space back.</summary>
    public void Free()
    {
        if (_mountPoint is not null)
        {
            File.Delete(Path.Combine(_mountPoint, FillerFile));
            return;
        }
        using var connection = Open();
        Execute(connection, "DROP TABLE filler;");
    }

    /// <summary>Makes the filesystem read-only under the open files, as the kernel does after an I/O error (ext4 only).</summary>
    public void MakeReadOnly()
    {
        if (_image is not null)
        {
            Require(Run("mount", "-o", "remount,abort", _mountPoint!), "remount,abort");
            return;
        }
        // Without a loop device: a write refused under the open connection is what read-only means to the writer.
        Fill();
    }

    /// <summary>Unmounts, repairs as an operator would (fsck) and mounts the same disk again read-write.</summary>
    public void Remount()
    {
        SqliteConnection.ClearAllPools();
        if (_image is not null)
        {
            Require(Run("umount", _mountPoint!), "umount");
            Run("e2fsck", "-f", "-y", _image);
            Require(Run("mount", "-o", "loop", _image, _mountPoint!), "mount");
        }
        else if (_capBytes > 0)
        {
            Free();
        }
    }

    /// <summary>SQLite's own check of every page and index, on a connection of its own.</summary>
    public string IntegrityCheck()
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check;";
        return (string)command.ExecuteScalar()!;
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (_mountPoint is not null)
        {
            Run("umount", _mountPoint);
        }
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless.
        }
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        connection.Open();
        return connection;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static long Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static void Require(bool done, string what)
    {
        if (!done)
        {
            throw new InvalidOperationException($"{what} failed on a disk that was mounted for this test.");
        }
    }

    private static bool Run(string command, params string[] arguments)
    {
        try
        {
            var start = new ProcessStartInfo(command) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }
            using var process = Process.Start(start)!;
            process.WaitForExit();
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
