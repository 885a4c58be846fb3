using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace AlkPlatform.Testing;

/// <summary>
/// The real portal as its own process (its build output, its own data directory, free loopback ports: https pages with a
/// throwaway certificate and the h2c release feed), stopped with SIGTERM or killed with SIGKILL like a crash. The test
/// project that uses it references the portal project, so its build output exists; the caller supplies the rest of the
/// configuration (the identity provider, the signing key).
/// </summary>
public sealed class PortalProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _certificateThumbprint;
    private readonly ConcurrentQueue<string> _output;

    public Uri PagesOrigin { get; }
    public Uri ReleaseFeedOrigin { get; }
    public string DataDirectory { get; }
    public string DatabasePath => Path.Combine(DataDirectory, "content.db");

    private PortalProcess(Process process, Uri pages, Uri feed, string dataDirectory, string thumbprint, ConcurrentQueue<string> output)
    {
        _process = process;
        PagesOrigin = pages;
        ReleaseFeedOrigin = feed;
        DataDirectory = dataDirectory;
        _certificateThumbprint = thumbprint;
        _output = output;
    }

    /// <param name="settings">Further configuration, e.g. <c>AzureAd:*</c> and <c>ReleaseSigning:KeyFile</c>.</param>
    /// <param name="identity">The identity provider the portal signs in with and gets tokens from: its certificate is trusted.</param>
    public static async Task<PortalProcess> StartAsync(string dataDirectory, IReadOnlyDictionary<string, string> settings, CancellationToken cancellationToken,
        LocalIdentityHost? identity = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var portalBin = PortalBuildOutput();
        var ports = FreePorts(2);
        var (pagesPort, feedPort) = (ports[0], ports[1]);
        var (certificateFile, password, thumbprint) = WriteLoopbackCertificate(dataDirectory);
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = portalBin,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            Path.Combine(portalBin, "AlkPlatform.Portal.dll"),
            "--contentRoot", portalBin,
            $"--Kestrel:Endpoints:Pages:Url=https://127.0.0.1:{pagesPort}",
            $"--Kestrel:Endpoints:Pages:Certificate:Path={certificateFile}",
            $"--Kestrel:Endpoints:Pages:Certificate:Password={password}",
            $"--Kestrel:Endpoints:ReleaseFeed:Url=http://127.0.0.1:{feedPort}",
            $"--Portal:DataDirectory={dataDirectory}",
            "--Logging:LogLevel:Default=Warning",
        })
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (key, value) in settings)
        {
            start.ArgumentList.Add($"--{key}={value}");
        }
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        if (identity is not null)
        {
            // The provider's throwaway certificate is the only root this process trusts: it talks to loopback hosts only.
            start.Environment["SSL_CERT_FILE"] = identity.CertificateFile;
        }
        var output = new ConcurrentQueue<string>();
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the portal.");
        process.OutputDataReceived += (_, line) => Keep(output, line.Data);
        process.ErrorDataReceived += (_, line) => Keep(output, line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var portal = new PortalProcess(process, new Uri($"https://127.0.0.1:{pagesPort}"), new Uri($"http://127.0.0.1:{feedPort}"),
            dataDirectory, thumbprint, output);
        using var probe = portal.CreateClient();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                using var response = await probe.GetAsync("/Account/SignIn", cancellationToken);
                return portal;
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                await Task.Delay(100, cancellationToken);
            }
            catch (HttpRequestException ex)
            {
                throw new InvalidOperationException($"The portal did not start: {string.Join(Environment.NewLine, output)}", ex);
            }
        }
    }

    /// <summary>A client for the pages that keeps cookies, does not follow redirects and trusts this process's certificate only.</summary>
    public HttpClient CreateClient()
    {
        var handler = new HttpClientHandler
        {
            AllowAutoRedirect = false,
            UseCookies = true,
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) =>
                certificate is not null && certificate.Thumbprint == _certificateThumbprint,
        };
        return new HttpClient(handler) { BaseAddress = PagesOrigin };
    }

    /// <summary>What the process wrote to stdout and stderr, for a failing test's message.</summary>
    public string Output => string.Join(Environment.NewLine, _output);

    public bool HasExited => _process.HasExited;

    /// <summary>SIGKILL: no shutdown hooks, no drain, exactly like a crash or a power cut of the process.</summary>
    public void KillHard()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        _process.WaitForExit();
    }

    /// <summary>Stops the process the way an orchestrator would (SIGTERM), waiting for it to exit.</summary>
    public async Task StopAsync()
    {
        if (_process.HasExited)
        {
            return;
        }
        using (var term = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
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

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process.Dispose();
    }

    private static void Keep(ConcurrentQueue<string> output, string? line)
    {
        if (line is null)
        {
            return;
        }
        output.Enqueue(line);
        while (output.Count > 200 && output.TryDequeue(out _))
        {
        }
    }

    /// <summary>A self-signed certificate for 127.0.0.1 as a PFX file beside the data, with a password made for this run.</summary>
    private static (string File, string Password, string Thumbprint) WriteLoopbackCertificate(string dataDirectory)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var file = Path.Combine(dataDirectory, "https-certificate.pfx");
        Directory.CreateDirectory(dataDirectory);
        File.WriteAllBytes(file, certificate.Export(X509ContentType.Pkcs12, password));
        return (file, password, certificate.Thumbprint);
    }

    /// <summary>The portal's own build output for this test run's configuration.</summary>
    private static string PortalBuildOutput()
    {
        var testBin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = testBin.Name;
        var configuration = testBin.Parent!.Name;
        var root = testBin;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "AlkPlatform.sln")))
        {
            root = root.Parent;
        }
        if (root is null)
        {
            throw new InvalidOperationException("Cannot find the repository root above " + AppContext.BaseDirectory);
        }
        return Path.Combine(root.FullName, "portal", "AlkPlatform.Portal", "bin", configuration, framework);
    }

    /// <summary>Distinct free loopback ports: every listener stays open until all are chosen.</summary>
    private static int[] FreePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        try
        {
            listeners.ForEach(l => l.Start());
            return [.. listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port)];
        }
        finally
        {
            listeners.ForEach(l => l.Stop());
        }
    }
}
