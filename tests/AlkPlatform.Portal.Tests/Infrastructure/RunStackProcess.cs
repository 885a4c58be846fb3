using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using AlkPlatform.Testing;

namespace AlkPlatform.Portal.Tests.Infrastructure;

/// <summary>One run of <c>deploy/run-stack.sh --no-build</c> (the tests' build output) on the given ports.</summary>
public sealed class RunStackProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private X509Certificate2? _certificate;

    private RunStackProcess(Process process, int[] ports)
    {
        _process = process;
        (IdentityOrigin, PortalOrigin, ServiceOrigin) = (
            new Uri($"https://localhost:{ports[0]}"), new Uri($"https://localhost:{ports[1]}"), new Uri($"http://localhost:{ports[3]}"));
        process.OutputDataReceived += (_, line) => Keep(line.Data);
        process.ErrorDataReceived += (_, line) => Keep(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Uri IdentityOrigin { get; }
    public Uri PortalOrigin { get; }
    public Uri ServiceOrigin { get; }

    public string Output => string.Join(Environment.NewLine, _lines.TakeLast(60));

    /// <param name="ports">Identity provider, portal pages, release feed, service.</param>
    public static async Task<RunStackProcess> StartAsync(string data, int[] ports, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = HostProcess.RepositoryRoot,
        };
        foreach (var argument in new[] { "deploy/run-stack.sh", "--no-build", "--data", data })
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["ALK_STACK_IDENTITY_PORT"] = ports[0].ToString(CultureInfo.InvariantCulture);
        start.Environment["ALK_STACK_PORTAL_PORT"] = ports[1].ToString(CultureInfo.InvariantCulture);
        start.Environment["ALK_STACK_FEED_PORT"] = ports[2].ToString(CultureInfo.InvariantCulture);
        start.Environment["ALK_STACK_SERVICE_PORT"] = ports[3].ToString(CultureInfo.InvariantCulture);
        start.Environment["ALK_STACK_CONFIGURATION"] = HostProcess.Configuration;
        var stack = new RunStackProcess(Process.Start(start) ?? throw new InvalidOperationException("Could not start bash."), ports);
        var exited = stack._process.WaitForExitAsync(cancellationToken);
        var finished = await Task.WhenAny(stack._ready.Task, exited, Task.Delay(TimeSpan.FromSeconds(120), cancellationToken));
        if (finished != stack._ready.Task)
        {
            var output = stack.Output;
            await stack.DisposeAsync();
            throw new InvalidOperationException($"deploy/run-stack.sh did not come up:{Environment.NewLine}{output}");
        }
        stack._certificate = X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(data, "trust", "localhost.pem")));
        return stack;
    }

    /// <summary>The .NET development certificate the stack serves https with, exported by the script; nothing else.</summary>
    public SocketsHttpHandler TrustingHandler() => new()
    {
        SslOptions = { RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            certificate is not null && certificate.GetCertHashString() == _certificate!.Thumbprint },
    };

    public HttpClient PortalClient()
    {
        var handler = TrustingHandler();
        handler.AllowAutoRedirect = false;
        handler.UseCookies = true;
        return new HttpClient(handler) { BaseAddress = PortalOrigin };
    }

    /// <summary>SIGINT, as Ctrl+C in the terminal; returns the script's exit code once it has stopped everything.</summary>
    public async Task<int> InterruptAsync()
    {
        using (var interrupt = Process.Start("kill", ["-INT", _process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await interrupt.WaitForExitAsync(CancellationToken.None);
        }
        using var timeout = new CancellationTokenSource();
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }
        _lines.Enqueue(line);
        while (_lines.Count > 400 && _lines.TryDequeue(out _))
        {
        }
        if (line.StartsWith("AlkPlatform stack is running", StringComparison.Ordinal))
        {
            _ready.TrySetResult();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            try
            {
                await InterruptAsync();
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        _process.Dispose();
        _certificate?.Dispose();
    }
}
