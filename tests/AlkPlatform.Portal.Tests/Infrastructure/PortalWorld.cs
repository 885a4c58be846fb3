using System.Collections.Concurrent;
using AlkPlatform.LocalIdentity.Provider;

namespace AlkPlatform.Portal.Tests.Infrastructure;

/// <summary>One identity provider and one portal with its own fresh database, plus a signed-in client per demo user.</summary>
public sealed class PortalWorld : IAsyncLifetime
{
    private readonly ConcurrentDictionary<string, Task<HttpClient>> _clients = new(StringComparer.Ordinal);

    public LocalIdentityHost Identity { get; } = new();

    public PortalHost Portal { get; private set; } = null!;

    public ValueTask InitializeAsync()
    {
        Portal = new PortalHost(Identity);
        return ValueTask.CompletedTask;
    }

    /// <summary>A client signed in as the user (through the real OIDC flow, once per user), or anonymous for null.</summary>
    public Task<HttpClient> ClientFor(DemoUser? user) => user is null
        ? Task.FromResult(Portal.CreatePortalClient())
        : _clients.GetOrAdd(user.ObjectId, _ => SignIn.AsAsync(Portal, user, CancellationToken.None));

    public async ValueTask DisposeAsync()
    {
        await Portal.DisposeAsync();
        await Identity.DisposeAsync();
    }
}
