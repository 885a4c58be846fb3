namespace AlkPlatform.Portal.Ops;

/// <summary>Where the ops pages find the recommendation service's replicas, and what the portal's app token for them is for.</summary>
public sealed class RecommendationServiceOptions
{
    public const string Section = "RecommendationService";

    /// <summary>A service's gRPC endpoint, e.g. http://localhost:5080 (h2c) or an https URL.</summary>
    public string? Address { get; set; }

    /// <summary>
    /// Further replicas (beyond <see cref="Address"/>): the ops pages ask each of them, and the audit verifier compares each
    /// one's activated events with the chain; each must accept the portal's app token for <see cref="Scope"/>.
    /// </summary>
    public List<string> Addresses { get; } = [];

    /// <summary>
    /// A URL whose host name resolves to every replica's address, e.g. a Kubernetes headless Service
    /// (<c>http://recommendation-service-replicas.alkplatform.svc.cluster.local:8080</c>): each page resolves it again and asks
    /// every address it gets, on this URL's scheme and port, so replicas the autoscaler adds are included. Empty = none.
    /// </summary>
    public string? ReplicasAddress { get; set; }

    /// <summary>
    /// The service's app token scope, <c>api://{service application id}/.default</c>: the portal calls the ops API with a
    /// client-credentials token for it (its app holds the service's EvaluationLogs.Read role). Empty = no token, for a
    /// service in Development without authentication.
    /// </summary>
    public string? Scope { get; set; }

    /// <summary>Deadline for each unary call, so an unresponsive service becomes a message instead of a hung page.</summary>
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Every statically configured service, <see cref="Address"/> first, each once.</summary>
    public IReadOnlyList<Uri> AllAddressUris => [.. new[] { Address }.Concat(Addresses).Select(ToUri).OfType<Uri>().Distinct()];

    public Uri? ReplicasAddressUri => ToUri(ReplicasAddress);

    /// <summary>Whether any way to reach a service is configured.</summary>
    public bool AnyConfigured => AllAddressUris.Count > 0 || ReplicasAddressUri is not null;

    private static Uri? ToUri(string? address) =>
        Uri.TryCreate(address, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) ? uri : null;
}
