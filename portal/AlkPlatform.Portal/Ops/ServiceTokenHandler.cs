using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.Identity.Abstractions;

namespace AlkPlatform.Portal.Ops;

/// <summary>
/// Puts the portal's own app token for the recommendation service (client credentials through Microsoft.Identity.Web,
/// cached by MSAL) on every call of the ops clients; with no <c>RecommendationService:Scope</c> it sends none, for a
/// service running in Development without authentication.
/// </summary>
public sealed class ServiceTokenHandler(IOptions<RecommendationServiceOptions> options, IAuthorizationHeaderProvider tokens) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (options.Value.Scope is { Length: > 0 } scope)
        {
            var header = await tokens.CreateAuthorizationHeaderForAppAsync(scope, new AuthorizationHeaderProviderOptions
            {
                // The portal's app registration as its web API scheme has it (the sign-in scheme would do too; one is named).
                AcquireTokenOptions = new AcquireTokenOptions { AuthenticationOptionsName = JwtBearerDefaults.AuthenticationScheme },
            }, cancellationToken).ConfigureAwait(false);
            request.Headers.TryAddWithoutValidation("authorization", header);
        }
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }
}
