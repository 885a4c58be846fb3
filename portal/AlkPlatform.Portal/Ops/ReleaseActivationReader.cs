using AlkPlatform.Contracts.Ops.V1;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace AlkPlatform.Portal.Ops;

/// <summary>
/// Asks every configured recommendation service which signed events it activated (alk.ops.v1.ReleaseActivationService),
/// so the audit page can show whether the heads they hold still match this portal's chain.
/// </summary>
public sealed class ReleaseActivationReader(IOptions<RecommendationServiceOptions> options, RecommendationServiceChannels channels)
{
    public IReadOnlyList<Uri> Addresses => options.Value.AllAddressUris;

    /// <summary>One answer per service; a service that can't be asked is an answer with its error, never an exception.</summary>
    public async Task<IReadOnlyList<HeldActivations>> ReadAllAsync(CancellationToken cancellationToken) =>
        await Task.WhenAll(Addresses.Select(address => ReadAsync(address, cancellationToken)));

    private async Task<HeldActivations> ReadAsync(Uri address, CancellationToken cancellationToken)
    {
        var client = new ReleaseActivationService.ReleaseActivationServiceClient(channels.For(address));
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
