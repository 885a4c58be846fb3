using Microsoft.Extensions.Options;

namespace AlkPlatform.Portal.Ops;

/// <summary>Adds the ops key header to every call of the ops API client (and to no other client).</summary>
public sealed class OpsApiKeyHandler(IOptions<RecommendationServiceOptions> options) : DelegatingHandler
{
    public const string Header = "x-ops-api-key";

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (options.Value.OpsApiKey is { Length: > 0 } key)
        {
            request.Headers.TryAddWithoutValidation(Header, key);
        }
        return base.SendAsync(request, cancellationToken);
    }
}
