using System.Collections.Concurrent;
using AlkPlatform.Contracts.Ops.V1;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Options;
using Microsoft.Identity.Abstractions;

namespace AlkPlatform.Portal.Ops;

/// <summary>
/// Asks every configured recommendation service which signed events it activated (alk.ops.v1.ReleaseActivationService),
/// so the audit page can show whether the heads they hold still match this portal's chain. One channel per service address.
/// </summary>
public sealed class ReleaseActivationReader(IOptions<RecommendationServiceOptions> options, IServiceScopeFactory scopes) : IDisposable
{
    private readonly ConcurrentDictionary<Uri, GrpcChannel> _channels = new();
    // Token acquisition is a scoped service; the channels outlive any request, so they share one scope of their own.
    private readonly IServiceScope _scope = scopes.CreateScope();

    public IReadOnlyList<Uri> Addresses => options.Value.AllAddressUris;

    /// <summary>One answer per service; a service that can't be asked is an answer with its error, never an exception.</summary>
    public async Task<IReadOnlyList<HeldActivations>> ReadAllAsync(CancellationToken cancellationToken) =>
        await Task.WhenAll(Addresses.Select(address => ReadAsync(address, cancellationToken)));

    private async Task<HeldActivations> ReadAsync(Uri address, CancellationToken cancellationToken)
    {
        var client = new ReleaseActivationService.ReleaseActivationServiceClient(_channels.GetOrAdd(address, Open));
        try
        {
            var response = await client.ListReleaseActivationsAsync(new ListReleaseActivationsRequest(),
                deadline: DateTime.UtcNow + options.Value.CallTimeout, cancellationToken: cancellationToken);
            return new HeldActivations(address, response.ServiceId,
                [.. response.Activations.Where(a => a.SignedEvent is not null).Select(a => a.SignedEvent.ToDomain())], null);
        }
        catch (RpcException ex) when (!cancellationToken.IsCancellationRequested)
        {
            return new HeldActivations(address, null, [], Describe(address, ex));
        }
    }

    private GrpcChannel Open(Uri address) => GrpcChannel.ForAddress(address, new GrpcChannelOptions
    {
        HttpHandler = new ServiceTokenHandler(options, _scope.ServiceProvider.GetRequiredService<IAuthorizationHeaderProvider>()) { InnerHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true } },
    });

    private static string Describe(Uri address, RpcException exception) => exception.StatusCode switch
    {
        StatusCode.Unimplemented => $"The recommendation service at {address} does not list its activated releases (a build without ReleaseActivationService).",
        StatusCode.Unauthenticated or StatusCode.PermissionDenied =>
            $"The recommendation service at {address} refused the portal's app token ({exception.Status.Detail}); check {RecommendationServiceOptions.Section}:Scope and the portal app's EvaluationLogs.Read role.",
        _ => $"The recommendation service at {address} could not be asked ({exception.StatusCode}: {exception.Status.Detail}).",
    };

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
