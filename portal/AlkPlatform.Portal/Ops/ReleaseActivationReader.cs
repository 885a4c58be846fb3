using AlkPlatform.Contracts.Ops.V1;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace AlkPlatform.Portal.Ops;

/// <summary>
/// Asks every recommendation-service replica (configured, or found through the replicas' DNS name) which signed events it activated (alk.ops.v1.ReleaseActivationService),
/// so the audit page can show whether the heads they hold still match this portal's chain.
/// </summary>
public sealed class ReleaseActivationReader(IOptions<RecommendationServiceOptions> options, RecommendationServiceConnection replicas)
{

    /// <summary>One answer per service; a service that can't be asked is an answer with its error, never an exception.</summary>
    public async Task<IReadOnlyList<HeldActivations>> ReadAllAsync(CancellationToken cancellationToken)
    {
        var discovery = await replicas.DiscoverAsync(cancellationToken);
        var unresolved = discovery.Problems.Select(p => new HeldActivations(options.Value.ReplicasAddressUri!, null, [], p.Problem));
        return [.. await Task.WhenAll(discovery.Replicas.Select(replica => ReadAsync(replica, cancellationToken))), .. unresolved];
    }

    private async Task<HeldActivations> ReadAsync(RecommendationServiceReplica replica, CancellationToken cancellationToken)
    {
        var address = replica.Address;
        var client = replica.ReleaseActivations;
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

    private static string Describe(Uri address, RpcException exception) => exception.StatusCode switch
    {
        StatusCode.Unimplemented => $"The recommendation service at {address} does not list its activated releases (a build without ReleaseActivationService).",
        StatusCode.Unauthenticated or StatusCode.PermissionDenied =>
            $"The recommendation service at {address} refused the portal's app token ({exception.Status.Detail}); check {RecommendationServiceOptions.Section}:Scope and the portal app's EvaluationLogs.Read role.",
        _ => $"The recommendation service at {address} could not be asked ({exception.StatusCode}: {exception.Status.Detail}).",
    };
}
