using AlkPlatform.Portal.Content;
using AlkPlatform.Portal.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace AlkPlatform.Portal.Tests;

public sealed class SafetyTests
{
    [Theory]
    [InlineData("Dose <script>alert(1)</script> daily", "<script")]
    [InlineData("[click](javascript:alert(1))", "javascript:")]
    [InlineData("<img src=x onerror=alert(1)>", "<img")]
    [InlineData("<a href=\"https://x.example\" onclick=\"steal()\">x</a>", "<a ")]
    public void MarkdownRenderer_ActiveContent_IsRemoved(string markdown, string forbidden)
    {
        var html = new MarkdownRenderer().ToSafeHtml(markdown);
        Assert.False(html.Contains(forbidden, StringComparison.OrdinalIgnoreCase), html);
    }

    [Fact]
    public void MarkdownRenderer_OrdinaryMarkdown_KeepsEmphasisAndHttpsLinks()
    {
        var html = new MarkdownRenderer().ToSafeHtml("Use **alectinib** ([label](https://example.org/label)).");
        Assert.Contains("<strong>alectinib</strong>", html, StringComparison.Ordinal);
        Assert.Contains("href=\"https://example.org/label\"", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:1/", "5f6c2a1e-8a4b-4f3e-9c7d-0a1b2c3d4e5f", "6d0f4c2b-1a3e-4b5c-8d7e-9f0a1b2c3d4e", "secret")]
    [InlineData("https://login.microsoftonline.com/", "", "", "")]
    [InlineData("https://login.microsoftonline.com/", "5f6c2a1e-8a4b-4f3e-9c7d-0a1b2c3d4e5f", "6d0f4c2b-1a3e-4b5c-8d7e-9f0a1b2c3d4e", "")]
    public void Portal_InProductionWithoutRealEntraConfiguration_RefusesToStart(string instance, string tenant, string client, string secret)
    {
        using var factory = new WebApplicationFactory<PortalEntryPoint>().WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment("Production");
            builder.UseSetting("AzureAd:Instance", instance);
            builder.UseSetting("AzureAd:TenantId", tenant);
            builder.UseSetting("AzureAd:ClientId", client);
            builder.UseSetting("AzureAd:ClientSecret", secret);
            builder.UseSetting("Portal:DataDirectory", Path.Combine(Path.GetTempPath(), "alk-portal-refuse"));
        });
        var error = Assert.Throws<InvalidOperationException>(() => factory.CreateClient());
        Assert.Contains("refuses to start", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignOut_EndsPortalSession()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var world = new PortalWorld();
        await world.InitializeAsync();
        var client = await world.ClientFor(SignIn.User("otto.ops"));
        var page = await client.GetStringAsync("/Account/SignOut", ct);
        var response = await client.PostAsync("/Account/SignOut", SignIn.Form([new("__RequestVerificationToken", SignIn.AntiforgeryToken(page))]), ct);
        Assert.Equal(System.Net.HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/oauth2/v2.0/logout", response.Headers.Location!.ToString(), StringComparison.Ordinal);
        var after = await client.GetAsync("/Audit", ct);
        Assert.Contains("/Account/SignIn", after.Headers.Location!.ToString(), StringComparison.Ordinal);
    }
}
