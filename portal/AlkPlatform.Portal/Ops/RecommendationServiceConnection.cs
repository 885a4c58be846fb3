using System.Net;
using System.Net.Sockets;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace AlkPlatform.Portal.Ops;

/// <summary>
/// The recommendation service's replicas as the ops pages reach them: the configured addresses and, when set, every
/// address the replicas' DNS name resolves to now. Each replica keeps its own evaluation log, so a page asks each of them.
/// </summary>
public sealed class RecommendationServiceConnection(IOptions<RecommendationServiceOptions> options, RecommendationServiceChannels channels)
{
    public bool IsConfigured => options.Value.AnyConfigured;

    /// <summary>
    /// The replicas to ask for this page: static addresses first, in configured order, then those the DNS name resolves to
    /// that are not already listed (a pod listed by its own name keeps that name).
    /// </summary>
    public async Task<ReplicaDiscovery> DiscoverAsync(CancellationToken cancellationToken)
    {
        var addresses = new List<Uri>(options.Value.AllAddressUris);
        var problems = new List<UnreachableReplica>();
        if (options.Value.ReplicasAddressUri is { } replicas)
        {
            try
            {
                var listed = (await Task.WhenAll(addresses.Select(a => ResolvedAsync(a, cancellationToken)))).SelectMany(a => a).ToHashSet();
                var resolved = await Dns.GetHostAddressesAsync(replicas.DnsSafeHost, cancellationToken);
                addresses.AddRange(resolved
                    .Where(a => !listed.Contains(new IPEndPoint(a, replicas.Port)))
                    .OrderBy(a => a.ToString(), StringComparer.Ordinal)
                    .Select(a => new UriBuilder(replicas) { Host = a.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{a}]" : a.ToString() }.Uri));
            }
            catch (SocketException ex)
            {
                problems.Add(new UnreachableReplica(replicas.Authority,
                    $"The replicas' DNS name {replicas.Host} did not resolve ({ex.SocketErrorCode}), so replicas found only through it are missing. "
                    + $"Check {RecommendationServiceOptions.Section}:ReplicasAddress (the headless Service's name and port)."));
            }
        }
        return new ReplicaDiscovery([.. addresses.Distinct().Select(a => new RecommendationServiceReplica(a, channels.For(a)))], problems);
    }

    /// <summary>Where a configured address points now; nothing when its name does not resolve (asking it will say why).</summary>
    private static async Task<IEnumerable<IPEndPoint>> ResolvedAsync(Uri address, CancellationToken cancellationToken)
    {
        try
        {
            return (await Dns.GetHostAddressesAsync(address.DnsSafeHost, cancellationToken)).Select(ip => new IPEndPoint(ip, address.Port));
        }
        catch (SocketException)
        {
            return [];
        }
    }

    /// <summary>Options for a unary call: its deadline, and the page request's cancellation.</summary>
    public CallOptions Unary(CancellationToken cancellationToken) =>
        new(deadline: DateTime.UtcNow + options.Value.CallTimeout, cancellationToken: cancellationToken);

    /// <summary>What went wrong with <paramref name="replica"/>, in words an operator can act on.</summary>
    public static string Describe(RecommendationServiceReplica replica, RpcException exception)
    {
        ArgumentNullException.ThrowIfNull(replica);
        ArgumentNullException.ThrowIfNull(exception);
        return exception.StatusCode switch
        {
            StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Cancelled =>
                $"The recommendation service at {replica.Address} cannot be reached ({exception.StatusCode}: {exception.Status.Detail}). "
                + $"Check that it is running and that {RecommendationServiceOptions.Section}:Address, :Addresses or :ReplicasAddress point at its gRPC endpoint.",
            StatusCode.Unauthenticated or StatusCode.PermissionDenied =>
                $"The recommendation service at {replica.Address} refused the portal's app token ({exception.Status.Detail}). Check "
                + $"{RecommendationServiceOptions.Section}:Scope (api://{{the service's application id}}/.default) and that the portal's app "
                + "holds the service's EvaluationLogs.Read app role (deploy/README.md).",
            StatusCode.Internal or StatusCode.Unknown => $"The recommendation service at {replica.Address} failed to answer ({exception.StatusCode}: {exception.Status.Detail}).",
            StatusCode.ResourceExhausted => $"The recommendation service at {replica.Address} is too busy to answer now ({exception.Status.Detail}). Try again shortly.",
            _ => exception.Status.Detail,
        };
    }

    public static string NotConfiguredMessage =>
        $"The portal is not connected to a recommendation service: set {RecommendationServiceOptions.Section}:Address to the "
        + $"service's gRPC URL (or :Addresses and :ReplicasAddress for several replicas) and {RecommendationServiceOptions.Section}:Scope "
        + "to api://{its application id}/.default.";
}
