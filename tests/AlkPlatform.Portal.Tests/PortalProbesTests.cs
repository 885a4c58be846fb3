using System.Net;
using AlkPlatform.Portal.Tests.Infrastructure;
using AlkPlatform.Testing;

namespace AlkPlatform.Portal.Tests;

/// <summary>
/// The portal as its own process, probed as an orchestrator and the container's health check probe it, and restarted as a
/// rescheduled pod is: people signed in before stay signed in.
/// </summary>
public sealed class PortalProbesTests : IAsyncDisposable
{
    private readonly LocalIdentityHost _identity = new();
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("alk-portal-probes-").FullName;
    private readonly ReleaseSigningKeyFiles _key;

    public PortalProbesTests() => _key = ReleaseSigningKeyFiles.Create(_dataDirectory);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task HealthPages_Anonymous_AnswerHealthyOnThePagesAndTheFeedEndpoint_AndTheProbeCommandExitsByThem()
    {
        await using var portal = await StartPortalAsync();
        using var anonymous = portal.CreateClient();

        using var ready = await anonymous.GetAsync("/healthz", Ct);
        using var live = await anonymous.GetAsync("/healthz/live", Ct);
        var probeFeed = await ProbeAsync(new Uri(portal.ReleaseFeedOrigin, "/healthz"));
        var probeClosed = await ProbeAsync(new Uri($"http://127.0.0.1:{HostProcess.FreeLoopbackPorts(1)[0]}/healthz"));

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync(Ct));
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        // The container's probe goes to the cleartext feed port (HTTP/2 only): no certificate to match 127.0.0.1 against.
        Assert.True(probeFeed.ExitCode == 0, probeFeed.Output);
        Assert.True(probeClosed.ExitCode == 1, probeClosed.Output);
    }

    [Fact]
    public async Task Restart_SameDataDirectory_KeepsPeopleSignedIn()
    {
        var cookies = new CookieContainer();
        await using (var first = await StartPortalAsync())
        {
            using var signedIn = await SignIn.AsAsync(first.CreateClient(cookies), SignIn.User("pia.publisher"), _identity, Ct);
            using var before = await signedIn.GetAsync("/", Ct);
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        await using var second = await StartPortalAsync();
        using var browser = second.CreateClient(cookies);
        using var after = await browser.GetAsync("/", Ct);

        // Without the key ring on the volume the cookie cannot be read after a restart: a redirect to sign in again.
        Assert.True(after.StatusCode == HttpStatusCode.OK, $"{(int)after.StatusCode} {after.Headers.Location}");
    }

    /// <summary>Runs the portal binary as the container's HEALTHCHECK does.</summary>
    private static async Task<(int ExitCode, string Output)> ProbeAsync(Uri url)
    {
        using var probe = HostProcess.Start("portal/AlkPlatform.Portal", "Production", ["--probe-health", url.ToString()], []);
        await probe.WaitForExitAsync(Ct);
        return (probe.ExitCode, probe.Output);
    }

    private Task<PortalProcess> StartPortalAsync() => PortalProcess.StartAsync(_dataDirectory, new Dictionary<string, string>(_key.PortalSettings())
    {
        ["AzureAd:Instance"] = _identity.Origin.ToString(),
        ["AzureAd:TenantId"] = LocalIdentityHost.TenantId,
        ["AzureAd:ClientId"] = LocalIdentityHost.PortalClientId,
        ["AzureAd:ClientSecret"] = _identity.ClientSecret,
    }, Ct, _identity);

    public async ValueTask DisposeAsync()
    {
        await _identity.DisposeAsync();
        Directory.Delete(_dataDirectory, recursive: true);
    }
}
