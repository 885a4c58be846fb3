using System.Collections.Concurrent;
using AlkPlatform.LocalIdentity.Provider;
using AlkPlatform.Testing;

namespace AlkPlatform.Portal.Tests.Infrastructure;

/// <summary>
/// The portal tests' isolation rule: each test builds its own PortalWorld — its own identity provider, its own portal
/// factory with its own content.db in a fresh temporary directory, its own signed-in clients — and nothing is static or
/// shared between tests. The one exception, for speed, is <see cref="SharedPerClass"/>: the authorization matrix (about
/// 380 cases, each a request whose outcome is its principal's access alone) and the ops pages (reading one set of logged
/// calls) share one world per class as a class fixture, because no test in them depends on what another did. A world
/// refuses to be used by any other test or class than the one it was built for.
/// </summary>
public sealed class PortalWorld : IAsyncLifetime
{
    /// <summary>The only classes that may share one world between their tests.</summary>
    public static readonly IReadOnlySet<Type> SharedPerClass = new HashSet<Type> { typeof(AuthorizationMatrixTests), typeof(OpsPagesTests) };

    private readonly ConcurrentDictionary<string, Task<HttpClient>> _clients = new(StringComparer.Ordinal);
    private readonly string? _ownerTest;
    private readonly string? _ownerClass;
    private PortalHost? _portal;

    public PortalWorld()
        : this(null)
    {
    }

    /// <param name="identity">
    /// A provider the world shares with a recommendation service it calls (the ops pages' tokens must be ones that service
    /// accepts); by default its own. The world disposes it either way.
    /// </param>
    private PortalWorld(LocalIdentityHost? identity)
    {
        var context = TestContext.Current;
        _ownerTest = context.Test?.UniqueID;
        _ownerClass = _ownerTest is null ? context.TestClass?.TestClassName : null;
        if (_ownerTest is null && !SharedPerClass.Any(type => type.FullName == _ownerClass))
        {
            throw new InvalidOperationException(
                $"A PortalWorld is built by a test, or for the class fixture of one of {string.Join(", ", SharedPerClass.Select(t => t.Name))}.");
        }
        Identity = identity ?? new LocalIdentityHost();
    }

    /// <summary>Settings applied last to the portal, e.g. the recommendation service for the ops pages.</summary>
    public IReadOnlyDictionary<string, string>? PortalSettings { get; init; }

    /// <summary>Registrations applied after the portal's own, e.g. telemetry exporters.</summary>
    public Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? PortalServices { get; init; }

    /// <summary>Starts the portal on real ports (https pages, h2c release feed) instead of in memory.</summary>
    public bool OnKestrel { get; init; }

    public LocalIdentityHost Identity { get; }

    public PortalHost Portal
    {
        get
        {
            EnsureOwner();
            return _portal ?? throw new InvalidOperationException("The world is not initialised yet.");
        }
    }

    /// <summary>A world built and started inside a test, for a test that is not an <see cref="IAsyncLifetime"/> of its own.</summary>
    public static async Task<PortalWorld> StartAsync(IReadOnlyDictionary<string, string>? portalSettings = null, bool onKestrel = false,
        LocalIdentityHost? identity = null)
    {
        var world = new PortalWorld(identity) { PortalSettings = portalSettings, OnKestrel = onKestrel };
        await world.InitializeAsync();
        return world;
    }

    public ValueTask InitializeAsync()
    {
        _portal = new PortalHost(Identity, PortalSettings, PortalServices);
        if (OnKestrel)
        {
            _portal.StartOnKestrel();
        }
        return ValueTask.CompletedTask;
    }

    /// <summary>A client signed in as the user (through the real OIDC flow, once per user), or anonymous for null.</summary>
    public Task<HttpClient> ClientFor(DemoUser? user) => user is null
        ? Task.FromResult(Portal.CreatePortalClient())
        : _clients.GetOrAdd(user.ObjectId, _ => SignIn.AsAsync(Portal, user, CancellationToken.None));

    public async ValueTask DisposeAsync()
    {
        if (_portal is not null)
        {
            await _portal.DisposeAsync();
        }
        await Identity.DisposeAsync();
    }

    private void EnsureOwner()
    {
        var context = TestContext.Current;
        var sameOwner = _ownerTest is not null ? context.Test?.UniqueID == _ownerTest : context.TestClass?.TestClassName == _ownerClass;
        if (!sameOwner)
        {
            throw new InvalidOperationException($"This PortalWorld belongs to {(_ownerTest is not null ? "another test" : _ownerClass)}; each test builds its own.");
        }
    }
}
