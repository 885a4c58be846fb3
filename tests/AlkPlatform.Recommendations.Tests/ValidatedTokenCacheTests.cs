using System.Security.Claims;
using System.Security.Cryptography;
using AlkPlatform.Recommendations.Authentication;
using AlkPlatform.Testing;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.Tokens;

namespace AlkPlatform.Recommendations.Tests;

/// <summary>
/// The service validates an app's token once and then trusts it for at most five minutes and never past its expiry;
/// what it refused it checks again every time. Tokens are signed with the local identity provider's own key. A cache hit
/// is told apart from a validation by asking with parameters that would refuse the token.
/// </summary>
public sealed class ValidatedTokenCacheTests : IDisposable
{
    private readonly LocalIdentityHost _identity = LocalIdentityHost.Shared;
    // One for the process, never disposed: IdentityModel caches a signature provider per key, RSA object and all.
    private static readonly Lazy<RSA> ProviderKey = new(() =>
    {
        var key = RSA.Create();
        key.ImportFromPem(File.ReadAllText(LocalIdentityHost.Shared.SigningKeyFile));
        return key;
    });
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private readonly ValidatedTokenCache _cache;

    public ValidatedTokenCacheTests() => _cache = new ValidatedTokenCache(_clock);

    private TokenValidationParameters Accepting => new()
    {
        ValidIssuer = _identity.Issuer,
        ValidAudience = LocalIdentityHost.ServiceClientId,
        IssuerSigningKey = new RsaSecurityKey(ProviderKey.Value) { KeyId = _identity.SigningKeyId },
    };

    /// <summary>The same, but for another audience: any token validated with these is refused.</summary>
    private TokenValidationParameters Refusing
    {
        get
        {
            var refusing = Accepting;
            refusing.ValidAudience = "api://someone-else";
            return refusing;
        }
    }

    [Fact]
    public async Task AValidatedToken_IsNotValidatedAgain_WhileFresh()
    {
        var token = _identity.MintToken();
        var other = _identity.MintToken(c => c["oid"] = "5f0e9d8c-7b6a-4594-8372-61504f3e2d09");

        Assert.True((await _cache.ValidateTokenAsync(token, Accepting)).IsValid);
        _clock.Advance(ValidatedTokenCache.MaxAge - TimeSpan.FromSeconds(1));

        Assert.True((await _cache.ValidateTokenAsync(token, Refusing)).IsValid, "served from the cache");
        Assert.False((await _cache.ValidateTokenAsync(other, Refusing)).IsValid, "a token never seen is validated");
    }

    [Fact]
    public async Task AfterFiveMinutes_TheTokenIsValidatedAgain()
    {
        var token = _identity.MintToken(expires: DateTimeOffset.UtcNow.AddHours(1));
        Assert.True((await _cache.ValidateTokenAsync(token, Accepting)).IsValid);

        _clock.Advance(ValidatedTokenCache.MaxAge + TimeSpan.FromSeconds(1));

        Assert.False((await _cache.ValidateTokenAsync(token, Refusing)).IsValid);
    }

    [Fact]
    public async Task ATokenExpiringSooner_IsTrustedOnlyUntilItsExpiry()
    {
        var token = _identity.MintToken(expires: DateTimeOffset.UtcNow.AddMinutes(2));
        Assert.True((await _cache.ValidateTokenAsync(token, Accepting)).IsValid);

        _clock.Advance(TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(1));

        Assert.False((await _cache.ValidateTokenAsync(token, Refusing)).IsValid);
    }

    [Fact]
    public async Task ARefusedToken_IsCheckedAgainEveryTime()
    {
        var token = _identity.MintToken();

        Assert.False((await _cache.ValidateTokenAsync(token, Refusing)).IsValid);
        Assert.False((await _cache.ValidateTokenAsync(token, Refusing)).IsValid);
        Assert.True((await _cache.ValidateTokenAsync(token, Accepting)).IsValid);
    }

    [Fact]
    public async Task EachCall_GetsAnIdentityOfItsOwn()
    {
        var token = _identity.MintToken();
        Assert.True((await _cache.ValidateTokenAsync(token, Accepting)).IsValid);
        var second = await _cache.ValidateTokenAsync(token, Refusing);

        second.ClaimsIdentity.AddClaim(new Claim("added-by-one-call", "x"));
        var third = await _cache.ValidateTokenAsync(token, Refusing);

        Assert.True(third.IsValid, "served from the cache");
        Assert.Equal(LocalIdentityHost.EhrDemoAppId, third.ClaimsIdentity.FindFirst("azp")?.Value);
        Assert.Null(third.ClaimsIdentity.FindFirst("added-by-one-call"));
        Assert.Equal(second.SecurityToken.Id, third.SecurityToken.Id);
    }

    [Fact]
    public async Task TheServicesBearerScheme_ValidatesThroughTheCache()
    {
        await using var service = new RecommendationServiceHost();
        var client = service.Recommendations();

        await client.RecommendAsync(ReferencePatients.RelapsedRefractory70Kg, cancellationToken: TestContext.Current.CancellationToken);
        await client.RecommendAsync(ReferencePatients.RelapsedRefractory70Kg, cancellationToken: TestContext.Current.CancellationToken);

        var handlers = service.Get<IOptionsMonitor<JwtBearerOptions>>().Get(JwtBearerDefaults.AuthenticationScheme).TokenHandlers;
        Assert.Same(service.Get<ValidatedTokenCache>(), Assert.Single(handlers));
    }

    public void Dispose() => _cache.Dispose();
}
