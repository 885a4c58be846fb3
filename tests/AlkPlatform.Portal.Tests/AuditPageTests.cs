using AlkPlatform.Portal.Tests.Infrastructure;

namespace AlkPlatform.Portal.Tests;

/// <summary>The audit trail page (/Audit): filtered entries and the hash chain's verification.</summary>
public sealed class AuditPageTests : IAsyncLifetime
{
    private readonly PortalWorld _world = new();

    public ValueTask InitializeAsync() => _world.InitializeAsync();

    public ValueTask DisposeAsync() => _world.DisposeAsync();

    [Fact]
    public async Task AuditTrail_FilteredByAction_ShowsChainVerification()
    {
        var ct = TestContext.Current.CancellationToken;
        var client = await _world.ClientFor(SignIn.User("otto.ops"));
        var html = await client.GetStringAsync("/Audit?action=bootstrap-seeded", ct);
        Assert.Contains("Chain verified", html, StringComparison.Ordinal);
        Assert.Contains("bootstrap-seeded", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<td>draft-started</td>", html, StringComparison.Ordinal);
    }
}
