using AlkPlatform.Portal.Ops;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Identity.Abstractions;

namespace AlkPlatform.Portal.Tests;

/// <summary>
/// The portal keeps one channel per replica address it asks; replicas found through DNS change address with every pod
/// restart, so a channel not asked for in ten minutes is disposed instead of kept for the portal's lifetime.
/// </summary>
public sealed class RecommendationServiceChannelsTests : IDisposable
{
    private static readonly Uri Kept = new("http://10.0.0.7:5080");
    private static readonly Uri Gone = new("http://10.0.0.8:5080");

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.Zero));
    private readonly ServiceProvider _services = new ServiceCollection()
        .AddScoped<IAuthorizationHeaderProvider, NeverAskedHeaderProvider>()
        .BuildServiceProvider();
    private readonly RecommendationServiceChannels _channels;

    public RecommendationServiceChannelsTests() =>
        _channels = new RecommendationServiceChannels(Options.Create(new RecommendationServiceOptions()), _services.GetRequiredService<IServiceScopeFactory>(), _clock);

    [Fact]
    public void AnAddressAskedAgain_GetsTheSameChannel_WhileItIsInUse()
    {
        var first = _channels.For(Kept);
        _clock.Advance(RecommendationServiceChannels.IdleExpiry - TimeSpan.FromSeconds(1));
        var again = _channels.For(Kept);
        _clock.Advance(RecommendationServiceChannels.IdleExpiry - TimeSpan.FromSeconds(1));

        Assert.Same(first, again);
        Assert.Same(first, _channels.For(Kept));
        Assert.True(IsOpen(first));
    }

    [Fact]
    public void AnAddressNotAskedForTenMinutes_HasItsChannelDisposed_AndGetsAFreshOneIfItComesBack()
    {
        var gone = _channels.For(Gone);
        var kept = _channels.For(Kept);
        _clock.Advance(TimeSpan.FromMinutes(6));
        _channels.For(Kept);
        _clock.Advance(TimeSpan.FromMinutes(5));

        Assert.Same(kept, _channels.For(Kept));
        Assert.False(IsOpen(gone), "the channel of an address nobody asked for in 11 minutes is disposed");
        Assert.True(IsOpen(kept));
        var back = _channels.For(Gone);
        Assert.NotSame(gone, back);
        Assert.True(IsOpen(back));
    }

    public void Dispose()
    {
        _channels.Dispose();
        _services.Dispose();
    }

    private static bool IsOpen(GrpcChannel channel)
    {
        try
        {
            channel.CreateCallInvoker();
            return true;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
    }

    /// <summary>No call is made in these tests, so no token is ever asked for.</summary>
    private sealed class NeverAskedHeaderProvider : IAuthorizationHeaderProvider
    {
        public Task<string> CreateAuthorizationHeaderForUserAsync(IEnumerable<string> scopes, AuthorizationHeaderProviderOptions? authorizationHeaderProviderOptions = null, System.Security.Claims.ClaimsPrincipal? claimsPrincipal = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public Task<string> CreateAuthorizationHeaderForAppAsync(string scopes, AuthorizationHeaderProviderOptions? downstreamApiOptions = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public Task<string> CreateAuthorizationHeaderAsync(IEnumerable<string> scopes, AuthorizationHeaderProviderOptions? options = null, System.Security.Claims.ClaimsPrincipal? claimsPrincipal = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();
    }
}
