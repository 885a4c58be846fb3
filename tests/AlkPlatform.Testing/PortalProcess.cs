using System.Net;
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
    private readonly HostProcess _process;
    private readonly string _certificateThumbprint;

    public Uri PagesOrigin { get; }
    public Uri ReleaseFeedOrigin { get; }
    public string DataDirectory { get; }
    public string DatabasePath => Path.Combine(DataDirectory, "content.db");

    private PortalProcess(HostProcess process, Uri pages, Uri feed, string dataDirectory, string thumbprint)
    {
        _process = process;
        PagesOrigin = pages;
        ReleaseFeedOrigin = feed;
        DataDirectory = dataDirectory;
        _certificateThumbprint = thumbprint;
    }

    /// <param name="settings">Further configuration, e.g. <c>AzureAd:*</c> and <c>ReleaseSigning:KeyFile</c>.</param>
    /// <param name="identity">The identity provider the portal signs in with and gets tokens from: its certificate is trusted.</param>
    public static Task<PortalProcess> StartAsync(string dataDirectory, IReadOnlyDictionary<string, string> settings, CancellationToken cancellationToken,
        LocalIdentityHost? identity = null) =>
        StartAsync(dataDirectory, settings, releaseFeedOrigin: null, cancellationToken, identity);

    /// <param name="releaseFeedOrigin">The feed address of an earlier run, so that services following it find the restarted portal.</param>
    public static async Task<PortalProcess> StartAsync(string dataDirectory, IReadOnlyDictionary<string, string> settings, Uri? releaseFeedOrigin,
        CancellationToken cancellationToken, LocalIdentityHost? identity = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var ports = HostProcess.FreeLoopbackPorts(2);
        var (pagesPort, feedPort) = (ports[0], releaseFeedOrigin?.Port ?? ports[1]);
        var (certificateFile, password, thumbprint) = WriteLoopbackCertificate(dataDirectory);
        var process = HostProcess.Start("portal/AlkPlatform.Portal", "Testing",
        [
            $"--Kestrel:Endpoints:Pages:Url=https://127.0.0.1:{pagesPort}",
            $"--Kestrel:Endpoints:Pages:Certificate:Path={certificateFile}",
            $"--Kestrel:Endpoints:Pages:Certificate:Password={password}",
            $"--Kestrel:Endpoints:ReleaseFeed:Url=http://127.0.0.1:{feedPort}",
            $"--Portal:DataDirectory={dataDirectory}",
            "--Logging:LogLevel:Default=Warning",
        ], settings,
        Variables(dataDirectory, identity));

        var portal = new PortalProcess(process, new Uri($"https://127.0.0.1:{pagesPort}"), new Uri($"http://127.0.0.1:{feedPort}"),
            dataDirectory, thumbprint);
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
                throw new InvalidOperationException($"The portal did not start: {process.Output}", ex);
            }
        }
    }

    /// <summary>A client for the pages that keeps cookies, does not follow redirects and trusts this process's certificate only.</summary>
    /// <param name="cookies">A browser's cookie jar to carry over, e.g. into a restarted portal; by default a new one.</param>
    public HttpClient CreateClient(CookieContainer? cookies = null)
    {
        var handler = new HttpClientHandler
        {
            AllowAutoRedirect = false,
            UseCookies = true,
            CookieContainer = cookies ?? new CookieContainer(),
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) =>
                certificate is not null && certificate.Thumbprint == _certificateThumbprint,
        };
        return new HttpClient(handler) { BaseAddress = PagesOrigin };
    }

    /// <summary>What the process wrote to stdout and stderr, for a failing test's message.</summary>
    public string Output => _process.Output;

    public bool HasExited => _process.HasExited;

    /// <summary>SIGKILL: no shutdown hooks, no drain, exactly like a crash or a power cut of the process.</summary>
    public void KillHard() => _process.KillHard();

    /// <summary>Stops the process the way an orchestrator would (SIGTERM), waiting for it to exit.</summary>
    public Task StopAsync() => _process.StopAsync();

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process.Dispose();
    }

    /// <summary>
    /// A home that cannot hold anything (a file, not a folder; the tests may run as root, which read-only modes don't stop),
    /// as in the container with its read-only root: nothing the portal needs may live there. The provider's throwaway
    /// certificate is the only root this process trusts: it talks to loopback hosts only.
    /// </summary>
    private static Dictionary<string, string> Variables(string dataDirectory, LocalIdentityHost? identity)
    {
        var home = Path.Combine(dataDirectory, "no-home");
        File.WriteAllText(home, "");
        var variables = new Dictionary<string, string> { ["HOME"] = home };
        if (identity is not null)
        {
            variables["SSL_CERT_FILE"] = identity.CertificateFile;
        }
        return variables;
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
}
