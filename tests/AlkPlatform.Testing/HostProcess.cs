using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace AlkPlatform.Testing;

/// <summary>
/// One of our hosts run from its own build output as a child process (<c>dotnet App.dll --key=value …</c>), with what it
/// writes kept for a failing test's message, stopped with SIGTERM like an orchestrator or killed with SIGKILL like a crash.
/// </summary>
public sealed class HostProcess : IDisposable
{
    private const int KeptLines = 100;
    private const int HandedOutFrom = 20000;
    private const int HandedOutTo = 32768;
    private static readonly ConcurrentDictionary<int, byte> HandedOut = new();

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _first = new();
    private readonly ConcurrentQueue<string> _last = new();

    private HostProcess(Process process) => _process = process;

    /// <param name="projectFolder">The project's folder from the repository root, e.g. <c>services/AlkPlatform.Recommendations</c>.</param>
    /// <param name="settings">Configuration as <c>--key=value</c> arguments, in order (a later value of a key wins).</param>
    /// <param name="variables">Environment variables beside <c>ASPNETCORE_ENVIRONMENT</c>, e.g. <c>SSL_CERT_FILE</c>.</param>
    public static HostProcess Start(string projectFolder, string environment, IEnumerable<string> arguments,
        IEnumerable<KeyValuePair<string, string>> settings, IReadOnlyDictionary<string, string>? variables = null)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(settings);
        var bin = BuildOutput(projectFolder);
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = bin,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(bin, Path.GetFileName(projectFolder) + ".dll"));
        start.ArgumentList.Add("--contentRoot");
        start.ArgumentList.Add(bin);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (key, value) in settings)
        {
            start.ArgumentList.Add($"--{key}={value}");
        }
        start.Environment["ASPNETCORE_ENVIRONMENT"] = environment;
        foreach (var (name, value) in variables ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {projectFolder}.");
        var host = new HostProcess(process);
        process.OutputDataReceived += (_, line) => host.Keep(line.Data);
        process.ErrorDataReceived += (_, line) => host.Keep(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host;
    }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>The first and the latest lines the process wrote; a chatty process cannot fill the memory.</summary>
    public string Output => string.Join(Environment.NewLine, _first.Concat(_last.IsEmpty ? [] : ["…", .. _last]));

    public Task WaitForExitAsync(CancellationToken cancellationToken) => _process.WaitForExitAsync(cancellationToken);

    /// <summary>SIGTERM, as an orchestrator stops a pod, then waits up to 30 s for a graceful exit before killing it.</summary>
    public async Task StopAsync()
    {
        if (_process.HasExited)
        {
            return;
        }
        using (var term = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await term.WaitForExitAsync();
        }
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
        }
    }

    /// <summary>SIGKILL: no shutdown hooks, no drain, exactly like a crash or a power cut of the process.</summary>
    public void KillHard()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        _process.WaitForExit();
    }

    public void Dispose() => _process.Dispose();

    /// <summary>
    /// Distinct free loopback ports for child processes to bind. They come from below the kernel's ephemeral range
    /// (32768–60999 by default), because a port the kernel hands out can be taken as some outgoing connection's local port
    /// between this check and the child's bind; and each is handed out once per test process.
    /// </summary>
    public static int[] FreeLoopbackPorts(int count)
    {
        var ports = new List<int>(count);
        while (ports.Count < count)
        {
            var port = Random.Shared.Next(HandedOutFrom, HandedOutTo);
            if (HandedOut.TryAdd(port, 0) && IsFree(port))
            {
                ports.Add(port);
            }
        }
        return [.. ports];
    }

    private static bool IsFree(int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        try
        {
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
        finally
        {
            listener.Stop();
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }
        if (_first.Count < KeptLines)
        {
            _first.Enqueue(line);
            return;
        }
        _last.Enqueue(line);
        while (_last.Count > KeptLines && _last.TryDequeue(out _))
        {
        }
    }

    /// <summary>The clone this test run was built from (the folder holding AlkPlatform.sln).</summary>
    public static string RepositoryRoot
    {
        get
        {
            var root = new DirectoryInfo(AppContext.BaseDirectory);
            while (root is not null && !File.Exists(Path.Combine(root.FullName, "AlkPlatform.sln")))
            {
                root = root.Parent;
            }
            return root?.FullName ?? throw new InvalidOperationException("Cannot find the repository root above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>This test run's build configuration, e.g. Debug: every project's output is under bin/{it}/{framework}.</summary>
    public static string Configuration => TestBin.Parent!.Name;

    private static DirectoryInfo TestBin => new(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));

    /// <summary>The project's build output for this test run's configuration (the test project references it, so it exists).</summary>
    private static string BuildOutput(string projectFolder) =>
        Path.Combine(RepositoryRoot, projectFolder, "bin", Configuration, TestBin.Name);
}
