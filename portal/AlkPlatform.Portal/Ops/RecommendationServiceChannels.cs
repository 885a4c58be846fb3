using Grpc.Net.Client;
using Microsoft.Extensions.Options;
using Microsoft.Identity.Abstractions;

namespace AlkPlatform.Portal.Ops;

/// <summary>
/// One gRPC channel per recommendation-service address, each carrying the portal's app token, shared by the ops pages and
/// the audit verifier (a channel keeps its HTTP/2 connection; idle connections close on their own). A channel nobody has
/// asked for in <see cref="IdleExpiry"/> is disposed: replicas found through DNS come and go with pod IPs, and a
/// long-lived portal would otherwise keep a channel for every address it ever saw.
/// </summary>
public sealed class RecommendationServiceChannels(IOptions<RecommendationServiceOptions> options, IServiceScopeFactory scopes, TimeProvider clock) : IDisposable
{
    /// <summary>Far beyond any call's deadline, so a channel is never disposed under a call that is still running.</summary>
    public static readonly TimeSpan IdleExpiry = TimeSpan.FromMinutes(10);

    // Ops pages ask a few replicas per request: one lock keeps "asked" and "disposed as idle" from ever crossing.
    private readonly Lock _lock = new();
    private readonly Dictionary<Uri, Entry> _channels = [];
    // Token acquisition is a scoped service; the channels outlive any request, so they share one scope of their own.
    private readonly IServiceScope _scope = scopes.CreateScope();

    public GrpcChannel For(Uri address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var now = clock.GetUtcNow();
        lock (_lock)
        {
            foreach (var (idle, entry) in _channels.Where(c => now - c.Value.LastAsked > IdleExpiry).ToList())
            {
                _channels.Remove(idle);
                entry.Channel.Dispose();
            }
            if (!_channels.TryGetValue(address, out var asked))
            {
                asked = new Entry(Open(address));
                _channels.Add(address, asked);
            }
            asked.LastAsked = now;
            return asked.Channel;
        }
    }

    private GrpcChannel Open(Uri address) => GrpcChannel.ForAddress(address, new GrpcChannelOptions
    {
        HttpHandler = new ServiceTokenHandler(options, _scope.ServiceProvider.GetRequiredService<IAuthorizationHeaderProvider>())
        {
            InnerHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true },
        },
    });

    public void Dispose()
    {
        lock (_lock)
        {
            foreach (var entry in _channels.Values)
            {
                entry.Channel.Dispose();
            }
            _channels.Clear();
        }
        _scope.Dispose();
    }

    private sealed class Entry(GrpcChannel channel)
    {
        public GrpcChannel Channel { get; } = channel;

        public DateTimeOffset LastAsked { get; set; }
    }
}
