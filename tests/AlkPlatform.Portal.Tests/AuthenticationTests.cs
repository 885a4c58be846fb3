using AlkPlatform.Testing;
using System.Net;
using AlkPlatform.Portal.Tests.Infrastructure;

namespace AlkPlatform.Portal.Tests;

public sealed class AuthenticationTests : IAsyncLifetime
{
    // A fresh identity provider and portal per test.
    private readonly PortalWorld _world = new();

    private LocalIdentityHost Identity => _world.Identity;
    private PortalHost Portal => _world.Portal;

    public ValueTask InitializeAsync() => _world.InitializeAsync();

    public ValueTask DisposeAsync() => _world.DisposeAsync();

    [Fact]
    public async Task Dashboard_Anonymous_RedirectsToOwnSignInPage()
    {
        var client = Portal.CreatePortalClient();
        var response = await client.GetAsync("/", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("https://localhost/Account/SignIn?returnUrl=", response.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_AsApprover_ThroughLocalProvider_ShowsNameAndRoles()
    {
        var ct = TestContext.Current.CancellationToken;
        var client = await SignIn.AsAsync(Portal, SignIn.User("amira.approver"), ct);
        var html = await client.GetStringAsync("/", ct);
        Assert.Contains("Amira Approver", html, StringComparison.Ordinal);
        Assert.Contains("Approver", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_WithForeignReturnUrl_LandsOnDashboardInstead()
    {
        var ct = TestContext.Current.CancellationToken;
        var client = Portal.CreatePortalClient();
        var page = await client.GetStringAsync("/Account/SignIn", ct);
        var fields = HtmlForm.HiddenInputs(page).Where(f => f.Key != "ReturnUrl").Append(new("ReturnUrl", "https://evil.example/phish"));
        var challenge = await client.PostAsync("/Account/SignIn", SignIn.Form(fields), ct);
        Assert.Equal(HttpStatusCode.Redirect, challenge.StatusCode);
        // The return URL travels in the encrypted state; the challenge itself must still go to the provider.
        Assert.Equal(Identity.Origin.Authority, challenge.Headers.Location!.Authority);
        var get = await client.GetAsync("/Account/SignIn?returnUrl=https%3A%2F%2Fevil.example%2F", ct);
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
    }

    [Fact]
    public async Task SignIn_PostWithoutAntiforgeryToken_IsRejected()
    {
        var client = Portal.CreatePortalClient();
        var response = await client.PostAsync("/Account/SignIn", SignIn.Form([new("ReturnUrl", "/")]), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Pages_CarrySecurityHeaders()
    {
        var client = Portal.CreatePortalClient();
        var response = await client.GetAsync("/Account/SignIn", TestContext.Current.CancellationToken);
        var csp = string.Join(" ", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Fact]
    public async Task SignIn_UserWithoutPortalRole_IsDenied()
    {
        var ct = TestContext.Current.CancellationToken;
        var client = await SignIn.AsAsync(Portal, SignIn.User("nora.norole"), ct);
        var response = await client.GetAsync("/", ct);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/Account/AccessDenied", response.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignOut_EndsPortalSession()
    {
        var ct = TestContext.Current.CancellationToken;
        var client = await _world.ClientFor(SignIn.User("otto.ops"));
        var page = await client.GetStringAsync("/Account/SignOut", ct);
        var response = await client.PostAsync("/Account/SignOut", SignIn.Form([new("__RequestVerificationToken", SignIn.AntiforgeryToken(page))]), ct);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/oauth2/v2.0/logout", response.Headers.Location!.ToString(), StringComparison.Ordinal);
        var after = await client.GetAsync("/Audit", ct);
        Assert.Contains("/Account/SignIn", after.Headers.Location!.ToString(), StringComparison.Ordinal);
    }
}
