using System.Net;
using System.Net.Sockets;
using AlkPlatform.Portal.Tests.Infrastructure;
using AlkPlatform.Testing;

namespace AlkPlatform.Portal.Tests;

/// <summary>When the recommendation service is missing, down or refuses the portal's token, every ops page says so instead of failing.</summary>
public sealed class OpsServiceProblemTests
{
    private static readonly string[] Pages = ["/Ops", "/Ops/Logs", "/Ops/Evaluation?id=x", "/Ops/Charts", "/Ops/Export?handler=Download"];

    [Fact]
    public async Task OpsPages_ServiceNotConfigured_SayWhatToSet() =>
        await AssertEveryPageSays(new Dictionary<string, string>(), "not connected to a recommendation service");

    [Fact]
    public async Task OpsPages_ServiceUnreachable_SayItCannotBeReached() =>
        await AssertEveryPageSays(new Dictionary<string, string>
        {
            ["RecommendationService:Address"] = $"http://127.0.0.1:{ClosedPort()}",
            ["RecommendationService:Scope"] = $"api://{LocalIdentityHost.ServiceClientId}/.default",
        }, "cannot be reached");

    [Fact]
    public async Task OpsPages_ServiceTrustingAnotherIdentityProvider_SayTheTokenWasRefused()
    {
        // The service trusts the shared provider; the portal's world gets its tokens from a provider of its own.
        await using var service = new RecommendationServiceHost();
        service.StartOnKestrel();
        await AssertEveryPageSays(service.PortalSettings(), "refused the portal&#x27;s app token");
    }

    private static async Task AssertEveryPageSays(IReadOnlyDictionary<string, string> settings, string message, string? except = null)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var world = await PortalWorld.StartAsync(settings);
        var otto = await world.ClientFor(SignIn.User("otto.ops"));
        foreach (var page in Pages.Where(p => p != except))
        {
            using var response = await otto.GetAsync(page, ct);
            var html = await response.Content.ReadAsStringAsync(ct);
            Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{page}: {(int)response.StatusCode}");
            Assert.Contains("id=\"service-problem\"", html, StringComparison.Ordinal);
            Assert.Contains(message, html, StringComparison.Ordinal);
            Assert.Contains("<h1>", html, StringComparison.Ordinal);
        }
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
