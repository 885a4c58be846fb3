using System.Collections.Concurrent;
using Grpc.Net.Client;
using Microsoft.Extensions.Options;
using Microsoft.Identity.Abstractions;

namespace AlkPlatform.Portal.Ops;

/// <summary>
/// One gRPC channel per recommendation-service address, each carrying the portal's app token, shared by the ops pages and
/// the audit verifier for the portal's lifetime (a channel keeps its HTTP/2 connection; idle ones close on their own).
/// </summary>
public sealed class RecommendationServiceChannels(IOptions<RecommendationServiceOptions> options, IServiceScopeFactory scopes) : IDisposable
{
    private readonly ConcurrentDictionary<Uri, GrpcChannel> _channels = new();
    // Token acquisition is a scoped service; the channels outlive any request, so they share one scope of their own.
    private readonly IServiceScope _scope = scopes.CreateScope();

    public GrpcChannel For(Uri address) => _channels.GetOrAdd(address, Open);

    private GrpcChannel Open(Uri address) => GrpcChannel.ForAddress(address, new GrpcChannelOptions
    {
        HttpHandler = new ServiceTokenHandler(options, _scope.ServiceProvider.GetRequiredService<IAuthorizationHeaderProvider>())
        {
            InnerHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true },
        },
    });

    public void Dispose()
    {
        foreach (var channel in _channels.Values)
        {
            channel.Dispose();
        }
        _channels.Clear();
        _scope.Dispose();
    }
}
