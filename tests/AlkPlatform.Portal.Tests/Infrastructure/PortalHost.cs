using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AlkPlatform.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace AlkPlatform.Portal.Tests.Infrastructure;

/// <summary>
/// The portal configured against a <see cref="LocalIdentityHost"/>, with its own data directory and its own freshly
/// generated release-signing key file there. In-memory (TestServer) by default; <see cref="StartOnKestrel"/> gives the
/// browser real ports: https pages and the h2c release feed. Extra settings (e.g. the recommendation service for the ops
/// pages) are applied last.
/// </summary>
public sealed class PortalHost : WebApplicationFactory<PortalEntryPoint>
{
    private readonly LocalIdentityHost _identity;
    private readonly IReadOnlyDictionary<string, string>? _settings;
    private readonly Action<IServiceCollection>? _services;

    /// <param name="services">Registrations after the portal's own, e.g. telemetry exporters.</param>
    public PortalHost(LocalIdentityHost identity, IReadOnlyDictionary<string, string>? settings = null, Action<IServiceCollection>? services = null)
    {
        _identity = identity;
        _settings = settings;
        _services = services;
        DataDirectory = Directory.CreateTempSubdirectory("alk-portal-").FullName;
        SigningKey = ReleaseSigningKeyFiles.Create(DataDirectory);
    }

    public string DataDirectory { get; }

    /// <summary>The identity provider this portal signs users in with and gets its app tokens from.</summary>
    public LocalIdentityHost Identity => _identity;

    /// <summary>The key this portal signs its feed events with (ReleaseSigning:KeyFile), and its public half for verifying them.</summary>
    public ReleaseSigningKeyFiles SigningKey { get; }

    public Uri? PagesOrigin { get; private set; }

    public Uri? ReleaseFeedOrigin { get; private set; }

    public void StartOnKestrel()
    {
        var certificate = CreateLoopbackCertificate();
        // The endpoints come from appsettings.json (pages over https, the release feed as h2c) with port 0 from ConfigureWebHost.
        UseKestrel(options => options.ConfigureHttpsDefaults(https => https.ServerCertificate = certificate));
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Select(a => new Uri(a)).ToList();
        PagesOrigin = addresses.Single(a => a.Scheme == Uri.UriSchemeHttps);
        ReleaseFeedOrigin = addresses.Single(a => a.Scheme == Uri.UriSchemeHttp);
    }

    /// <summary>Settings for a recommendation service that follows this portal's feed (on Kestrel) and trusts its signing key.</summary>
    public IReadOnlyDictionary<string, string> ServiceFollowingFeed() =>
        new Dictionary<string, string>(SigningKey.ServiceTrustSettings(), StringComparer.Ordinal)
        {
            ["ReleaseFeed:Address"] = (ReleaseFeedOrigin ?? throw new InvalidOperationException("Start the portal on Kestrel first.")).ToString(),
            ["ReleaseFeed:Scope"] = TestReleaseFeed.PortalFeedScope,
        };

    /// <summary>A client that keeps cookies and does not follow redirects, so each hop of the sign-in is visible.</summary>
    public HttpClient CreatePortalClient() =>
        CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = new Uri("https://localhost"), HandleCookies = true });

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.UseSetting("AzureAd:Instance", _identity.Origin.ToString());
        builder.UseSetting("AzureAd:TenantId", LocalIdentityHost.TenantId);
        builder.UseSetting("AzureAd:ClientId", LocalIdentityHost.PortalClientId);
        builder.UseSetting("AzureAd:ClientSecret", _identity.ClientSecret);
        // The provider's https certificate is the test's own: every back channel to it trusts exactly that certificate.
        builder.ConfigureTestServices(_identity.TrustIn);
        builder.UseSetting("Portal:DataDirectory", DataDirectory);
        builder.UseSetting("ReleaseSigning:KeyFile", SigningKey.KeyFile);
        // The Kestrel endpoints in appsettings.json name fixed ports; tests listen on port 0 only.
        builder.UseSetting("Kestrel:Endpoints:Pages:Url", "https://127.0.0.1:0");
        builder.UseSetting("Kestrel:Endpoints:ReleaseFeed:Url", "http://127.0.0.1:0");
        foreach (var (key, value) in _settings ?? new Dictionary<string, string>())
        {
            builder.UseSetting(key, value);
        }
        if (_services is { } configure)
        {
            builder.ConfigureTestServices(configure);
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            try
            {
                Directory.Delete(DataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // A SQLite file still held open by a pooled connection; the temp directory is cleaned by the OS.
            }
        }
    }

    private static X509Certificate2 CreateLoopbackCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }
}
