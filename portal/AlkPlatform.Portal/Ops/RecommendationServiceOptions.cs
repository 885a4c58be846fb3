namespace AlkPlatform.Portal.Ops;

/// <summary>Where the ops pages find the recommendation service, and what the portal's app token for it is for.</summary>
public sealed class RecommendationServiceOptions
{
    public const string Section = "RecommendationService";

    /// <summary>The service's gRPC endpoint, e.g. http://localhost:5080 (h2c) or an https URL.</summary>
    public string? Address { get; set; }

    /// <summary>
    /// Further replicas (beyond <see cref="Address"/>) whose activated events the audit verifier also compares with the chain;
    /// each must accept the portal's app token for <see cref="Scope"/>.
    /// </summary>
    public List<string> Addresses { get; } = [];

    /// <summary>
    /// The service's app token scope, <c>api://{service application id}/.default</c>: the portal calls the ops API with a
    /// client-credentials token for it (its app holds the service's EvaluationLogs.Read role). Empty = no token, for a
    /// service in Development without authentication.
    /// </summary>
    public string? Scope { get; set; }

    /// <summary>Deadline for each unary call, so an unresponsive service becomes a message instead of a hung page.</summary>
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public Uri? AddressUri => ToUri(Address);

    /// <summary>Every configured service, <see cref="Address"/> first, each once.</summary>
    public IReadOnlyList<Uri> AllAddressUris => [.. new[] { Address }.Concat(Addresses).Select(ToUri).OfType<Uri>().Distinct()];

    private static Uri? ToUri(string? address) =>
        Uri.TryCreate(address, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) ? uri : null;
}
