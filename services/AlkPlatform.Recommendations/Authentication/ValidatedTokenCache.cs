using Microsoft.Extensions.Caching.Memory;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AlkPlatform.Recommendations.Authentication;

/// <summary>
/// The JWT bearer scheme's token handler, remembering the app tokens it has validated: an app calls with the same token
/// for its whole lifetime (about an hour from Entra), and checking its RSA signature, parsing it and building its claims
/// on every call cost more than twice what Recommend itself costs (perf/README.md). A token is served from here only while
/// it is unexpired and for at most <see cref="MaxAge"/> after it was validated; failed validations are never remembered.
/// </summary>
/// <remarks>
/// What a cached token skips is a re-check against the tenant's current metadata: a signing key Entra withdraws stops
/// being honoured for tokens already seen within <see cref="MaxAge"/>, not at once. One cache per scheme: a hit does not
/// look at the validation parameters, which are the scheme's own and the same on every call. At most
/// <see cref="Capacity"/> tokens are held (each a few KB), the least recently used dropped first when it is full.
/// </remarks>
public sealed class ValidatedTokenCache(TimeProvider clock) : JsonWebTokenHandler, IDisposable
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(5);
    public const int Capacity = 4096;

    private readonly MemoryCache _validated = new(new MemoryCacheOptions { SizeLimit = Capacity });

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        var now = clock.GetUtcNow();
        if (token is not null && _validated.TryGetValue(token, out Validated? hit) && hit!.Until > now)
        {
            return hit.Result();
        }
        var result = await base.ValidateTokenAsync(token!, validationParameters).ConfigureAwait(false);
        if (result.IsValid && result.SecurityToken is JsonWebToken validated && result.ClaimsIdentity is { } identity)
        {
            var until = new DateTimeOffset(validated.ValidTo, TimeSpan.Zero) is var expires && expires < now + MaxAge ? expires : now + MaxAge;
            if (until > now)
            {
                _validated.Set(token!, new Validated(validated, identity.Clone(), result.Issuer, result.TokenType, until),
                    new MemoryCacheEntryOptions { Size = 1, AbsoluteExpiration = until });
            }
        }
        return result;
    }

    public void Dispose() => _validated.Dispose();

    private sealed record Validated(JsonWebToken Token, System.Security.Claims.ClaimsIdentity Identity, string? Issuer, string? TokenType, DateTimeOffset Until)
    {
        /// <summary>A result of its own for each call: a later handler adding a claim to one call's identity changes no other.</summary>
        public TokenValidationResult Result() => new()
        {
            IsValid = true,
            SecurityToken = Token,
            ClaimsIdentity = Identity.Clone(),
            Issuer = Issuer,
            TokenType = TokenType,
        };
    }
}
