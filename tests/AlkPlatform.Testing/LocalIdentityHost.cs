extern alias localidentity;

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AlkPlatform.Testing;

/// <summary>
/// The local identity provider on a real loopback https port, with a throwaway certificate (MSAL, behind
/// Microsoft.Identity.Web's token acquisition, accepts only https authorities) and an RSA signing key this class made and
/// handed to it as a PEM file: the provider signs every token with it and publishes it, and tests sign with the same key
/// the tokens the provider would never issue (expired, not yet valid, another tenant). Each app registration of the
/// provider's appsettings.json gets a secret made for this run.
/// </summary>
public sealed class LocalIdentityHost : WebApplicationFactory<localidentity::AlkPlatform.LocalIdentity.LocalIdentityEntryPoint>
{
    public const string TenantId = "5f6c2a1e-8a4b-4f3e-9c7d-0a1b2c3d4e5f";

    /// <summary>The portal's app registration: its users' sign-in, its own app tokens, and the API its release feed is.</summary>
    public const string PortalClientId = "6d0f4c2b-1a3e-4b5c-8d7e-9f0a1b2c3d4e";

    /// <summary>The recommendation service's app registration: the API it is, and the app that follows the portal's feed.</summary>
    public const string ServiceClientId = "3c9e1d7a-5b2f-4e8c-a1d0-7f6e5d4c3b2a";

    public const string EhrDemoAppId = "8a7b6c5d-4e3f-4a1b-9c8d-7e6f5a4b3c2d";
    public const string NoRoleAppId = "1e2d3c4b-5a69-4788-97a6-b5c4d3e2f1a0";

    /// <summary>A second clinician's app with the EHR demo app's roles: another verified caller, and a stranger to its evaluations.</summary>
    public const string WardDemoAppId = "2b3c4d5e-6f70-4a81-92b3-c4d5e6f7a8b9";

    /// <summary>The provider's short names of its app registrations (LocalIdentity:Clients) and APIs (LocalIdentity:Apis).</summary>
    public const string Portal = "portal";
    public const string Service = "recommendations";
    public const string EhrDemoApp = "ehr-demo-app";
    public const string NoRoleApp = "no-role-app";
    public const string WardDemoApp = "ward-demo-app";

    private static readonly Lazy<LocalIdentityHost> SharedHost = new(() => new LocalIdentityHost(), LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly string _directory;
    private readonly RSA _signingKey;
    private readonly X509Certificate2 _certificate;
    private readonly ConcurrentDictionary<(string Client, string Api), (string Token, DateTimeOffset Until)> _tokens = new();
    private readonly Dictionary<string, string> _secrets;

    public LocalIdentityHost()
    {
        _directory = Directory.CreateTempSubdirectory("alk-identity-").FullName;
        _signingKey = RSA.Create(2048);
        SigningKeyFile = Path.Combine(_directory, "signing-key.pem");
        File.WriteAllText(SigningKeyFile, _signingKey.ExportRSAPrivateKeyPem());
        _certificate = CreateLoopbackCertificate();
        CertificateFile = Path.Combine(_directory, "https-certificate.pem");
        File.WriteAllText(CertificateFile, _certificate.ExportCertificatePem());
        _secrets = new[] { Portal, Service, EhrDemoApp, WardDemoApp, NoRoleApp }
            .ToDictionary(name => name, _ => Convert.ToHexString(RandomNumberGenerator.GetBytes(24)), StringComparer.Ordinal);
        // Not UseKestrel(port): its address rewrite can race the minimal-hosting start-up; the URL comes from ConfigureWebHost.
        UseKestrel(options => options.ConfigureHttpsDefaults(https => https.ServerCertificate = _certificate));
        StartServer();
        Origin = new Uri(Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        // Before anyone knows the address: the app's own ApplicationStarted callback can come after the first request here.
        localidentity::AlkPlatform.LocalIdentity.Provider.LocalIdentityServer.SetEntraShapedIssuer(Services, Origin.GetLeftPart(UriPartial.Authority));
    }

    /// <summary>One provider for every recommendation-service host in the test process that is not given its own.</summary>
    public static LocalIdentityHost Shared => SharedHost.Value;

    /// <summary>Like https://login.microsoftonline.com/ — the AzureAd:Instance apps are given.</summary>
    public Uri Origin { get; }

    /// <summary>The <c>iss</c> of every token, <c>{origin}/{tenant}/v2.0</c> as Entra's.</summary>
    public string Issuer => $"{Origin.GetLeftPart(UriPartial.Authority)}/{TenantId}/v2.0";

    /// <summary>The provider's https certificate as PEM, for a child process's trust (SSL_CERT_FILE).</summary>
    public string CertificateFile { get; }

    public string SigningKeyFile { get; }

    /// <summary>The <c>kid</c> of the provider's signing key, as its tokens and its published keys carry it.</summary>
    public string SigningKeyId => localidentity::AlkPlatform.LocalIdentity.Provider.AppTokens.KeyIdOf(_signingKey);

    /// <summary>The portal's client secret (its sign-in and its app tokens).</summary>
    public string ClientSecret => SecretOf(Portal);

    public string SecretOf(string client) => _secrets[client];

    /// <summary>A handler that trusts this provider's certificate (and what the machine trusts), for back channels to it.</summary>
    public HttpMessageHandler CreateTrustingHandler() => new SocketsHttpHandler
    {
        SslOptions = { RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
            errors == System.Net.Security.SslPolicyErrors.None
            || (certificate is not null && certificate.GetCertHashString() == _certificate.Thumbprint) },
    };

    /// <summary>
    /// Makes an in-process app trust this provider's certificate on every back channel Microsoft.Identity.Web uses: token
    /// validation metadata, OpenID Connect sign-in, and MSAL (through IHttpClientFactory).
    /// </summary>
    public void TrustIn(IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.ConfigureHttpClientDefaults(client => client.ConfigurePrimaryHttpMessageHandler(CreateTrustingHandler));
        services.ConfigureAll<JwtBearerOptions>(options => options.BackchannelHttpHandler = CreateTrustingHandler());
        services.ConfigureAll<OpenIdConnectOptions>(options => options.BackchannelHttpHandler = CreateTrustingHandler());
    }

    /// <summary>
    /// The <c>AzureAd</c> settings of an app registered here: validating tokens for itself, getting app tokens with its secret.
    /// </summary>
    public IReadOnlyDictionary<string, string> AzureAdSettings(string client, string clientId) => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["AzureAd:Instance"] = Origin.ToString(),
        ["AzureAd:TenantId"] = TenantId,
        ["AzureAd:ClientId"] = clientId,
        ["AzureAd:Audience"] = clientId,
        ["AzureAd:ClientSecret"] = SecretOf(client),
    };

    /// <summary>
    /// A real app token from the provider's token endpoint (client credentials), reused while it has 5 minutes left. The
    /// request is made outside any trace the test has started: a caller's token acquisition is not part of its call, and in
    /// this process the provider's own server span would otherwise join the test's trace.
    /// </summary>
    public string TokenFor(string client, string api)
    {
        var key = (client, api);
        if (_tokens.TryGetValue(key, out var cached) && cached.Until > DateTimeOffset.UtcNow.AddMinutes(5))
        {
            return cached.Token;
        }
        var ambient = Activity.Current;
        Activity.Current = null;
        try
        {
            return RequestToken(client, api, key);
        }
        finally
        {
            Activity.Current = ambient;
        }
    }

    private string RequestToken(string client, string api, (string, string) key)
    {
        using var http = new HttpClient(CreateTrustingHandler());
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{Origin.GetLeftPart(UriPartial.Authority)}/{TenantId}/oauth2/v2.0/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_id"] = ClientIdOf(client),
                ["client_secret"] = SecretOf(client),
                ["scope"] = $"api://{ClientIdOf(api)}/.default",
            }),
        };
        using var response = http.Send(request);
        using var body = JsonDocument.Parse(response.Content.ReadAsStream());
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"The local identity provider refused a token for {client} → {api}: {body.RootElement}");
        }
        var token = body.RootElement.GetProperty("access_token").GetString()!;
        _tokens[key] = (token, DateTimeOffset.UtcNow.AddSeconds(body.RootElement.GetProperty("expires_in").GetInt32()));
        return token;
    }

    /// <summary>
    /// A token the provider would not issue: the EHR demo app's claims for the service, changed by <paramref name="change"/>
    /// (times, issuer, tenant, audience), signed with the provider's own key — or with <paramref name="foreignKey"/>, a key
    /// it does not publish (under the provider's key id, so only the signature tells them apart).
    /// </summary>
    public string MintToken(Action<Dictionary<string, object>>? change = null, RSA? foreignKey = null, DateTimeOffset? notBefore = null, DateTimeOffset? expires = null)
    {
        var now = DateTimeOffset.UtcNow;
        var claims = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["iss"] = Issuer,
            ["aud"] = ServiceClientId,
            ["azp"] = EhrDemoAppId,
            ["appid"] = EhrDemoAppId,
            ["tid"] = TenantId,
            ["oid"] = "4f0e9d8c-7b6a-4594-8372-61504f3e2d03",
            ["sub"] = "4f0e9d8c-7b6a-4594-8372-61504f3e2d03",
            ["idtyp"] = "app",
            ["ver"] = "2.0",
            ["roles"] = new[] { "Recommendations.Read", "Feedback.Write" },
        };
        change?.Invoke(claims);
        var key = new RsaSecurityKey(foreignKey ?? _signingKey) { KeyId = SigningKeyId };
        var from = notBefore ?? now.AddMinutes(-1);
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Claims = claims,
            IssuedAt = from.UtcDateTime,
            NotBefore = from.UtcDateTime,
            Expires = (expires ?? now.AddMinutes(30)).UtcDateTime,
            TokenType = "at+jwt",
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
        });
    }

    public static string ClientIdOf(string name) => name switch
    {
        Portal => PortalClientId,
        Service => ServiceClientId,
        EhrDemoApp => EhrDemoAppId,
        NoRoleApp => NoRoleAppId,
        WardDemoApp => WardDemoAppId,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "not an app registration of the local identity provider"),
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting(WebHostDefaults.ServerUrlsKey, "https://127.0.0.1:0");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.UseSetting("LocalIdentity:TenantId", TenantId);
        builder.UseSetting("LocalIdentity:SigningKeyFile", SigningKeyFile);
        foreach (var (client, secret) in _secrets)
        {
            builder.UseSetting($"LocalIdentity:Clients:{client}:ClientSecret", secret);
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _signingKey.Dispose();
            _certificate.Dispose();
            try
            {
                Directory.Delete(_directory, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp directory is harmless.
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
        // A CA-flagged self-signed certificate, so a process trusting it through SSL_CERT_FILE accepts it as a root.
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }
}
