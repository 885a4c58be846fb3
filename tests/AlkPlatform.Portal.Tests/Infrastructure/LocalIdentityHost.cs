using System.Security.Cryptography;
using AlkPlatform.LocalIdentity;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace AlkPlatform.Portal.Tests.Infrastructure;

/// <summary>The local identity provider on a real loopback port (the portal's OIDC back channel and the browser both reach it).</summary>
public sealed class LocalIdentityHost : WebApplicationFactory<LocalIdentityEntryPoint>
{
    public const string TenantId = "5f6c2a1e-8a4b-4f3e-9c7d-0a1b2c3d4e5f";
    public const string ClientId = "6d0f4c2b-1a3e-4b5c-8d7e-9f0a1b2c3d4e";

    public string ClientSecret { get; } = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));

    public LocalIdentityHost()
    {
        // Not UseKestrel(port): its address rewrite can race the minimal-hosting start-up; the URL comes from ConfigureWebHost.
        UseKestrel();
        StartServer();
        Origin = new Uri(Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
    }

    /// <summary>Like https://login.microsoftonline.com/ — the AzureAd:Instance the portal is given.</summary>
    public Uri Origin { get; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting(WebHostDefaults.ServerUrlsKey, "http://127.0.0.1:0");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.UseSetting("LocalIdentity:TenantId", TenantId);
        builder.UseSetting("LocalIdentity:Clients:0:ClientId", ClientId);
        builder.UseSetting("LocalIdentity:Clients:0:ClientSecret", ClientSecret);
    }
}
