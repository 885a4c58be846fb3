using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace AlkPlatform.Portal.Tests;

/// <summary>The portal's start-up checks of its own configuration.</summary>
public sealed class PortalStartupTests
{
    [Theory]
    [InlineData("http://127.0.0.1:1/", "5f6c2a1e-8a4b-4f3e-9c7d-0a1b2c3d4e5f", "6d0f4c2b-1a3e-4b5c-8d7e-9f0a1b2c3d4e", "secret")]
    [InlineData("https://login.microsoftonline.com/", "", "", "")]
    [InlineData("https://login.microsoftonline.com/", "5f6c2a1e-8a4b-4f3e-9c7d-0a1b2c3d4e5f", "6d0f4c2b-1a3e-4b5c-8d7e-9f0a1b2c3d4e", "")]
    public void Portal_InProductionWithoutRealEntraConfiguration_RefusesToStart(string instance, string tenant, string client, string secret)
    {
        // No world: the portal must refuse to start. It still gets a data directory of its own.
        var dataDirectory = Directory.CreateTempSubdirectory("alk-portal-refuse-").FullName;
        using var factory = new WebApplicationFactory<PortalEntryPoint>().WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment("Production");
            builder.UseSetting("AzureAd:Instance", instance);
            builder.UseSetting("AzureAd:TenantId", tenant);
            builder.UseSetting("AzureAd:ClientId", client);
            builder.UseSetting("AzureAd:ClientSecret", secret);
            builder.UseSetting("Portal:DataDirectory", dataDirectory);
        });
        var error = Assert.Throws<InvalidOperationException>(() => factory.CreateClient());
        Assert.Contains("refuses to start", error.Message, StringComparison.Ordinal);
        Directory.Delete(dataDirectory, recursive: true);
    }
}
