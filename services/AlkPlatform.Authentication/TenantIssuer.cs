using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AlkPlatform.Authentication;

/// <summary>
/// The issuer check of every Entra token the hosts accept: the token must name the tenant's own issuer, as the tenant's
/// OpenID Connect metadata publishes it, and carry the configured tenant's id as <c>tid</c>.
/// </summary>
/// <remarks>
/// It replaces Microsoft.Identity.Web's <c>AadIssuerValidator</c>, which is synchronous: on a cold process it fetches the
/// issuer metadata by blocking the request's thread-pool thread. A burst of calls on a replica that has just started
/// (h2load's 16×16 here) blocked a thread per call, starved the pool so that the metadata fetch's own TLS handshake timed
/// out at the provider, and every call hung or was refused for about a minute. Here the metadata is the one the JWT bearer
/// and OpenID Connect handlers already fetch asynchronously for the signing keys, so the check does no I/O at all.
/// Multi-tenant issuers are not needed: both hosts trust one tenant.
/// </remarks>
public static class TenantIssuer
{
    /// <summary>Makes the scheme's token validation use this check (after Microsoft.Identity.Web has configured it).</summary>
    public static IServiceCollection RequireTenantIssuer(this IServiceCollection services, string jwtBearerScheme, string tenantId)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.PostConfigure<JwtBearerOptions>(jwtBearerScheme, options => Require(options.TokenValidationParameters, tenantId));
        return services;
    }

    /// <summary>The same for the OpenID Connect sign-in scheme's ID tokens.</summary>
    public static IServiceCollection RequireTenantIssuerForSignIn(this IServiceCollection services, string openIdConnectScheme, string tenantId)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.PostConfigure<OpenIdConnectOptions>(openIdConnectScheme, options => Require(options.TokenValidationParameters, tenantId));
        return services;
    }

    public static void Require(TokenValidationParameters parameters, string tenantId)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        // Validators consult IssuerValidatorUsingConfiguration before IssuerValidator; clearing the latter as well leaves
        // no path to the blocking validator.
        parameters.IssuerValidator = null;
        parameters.IssuerValidatorUsingConfiguration = (issuer, token, validation, configuration) => Validate(issuer, token, validation, configuration, tenantId);
    }

    /// <summary>The token's issuer if it is the tenant's; otherwise <see cref="SecurityTokenInvalidIssuerException"/>.</summary>
    public static string Validate(string issuer, SecurityToken token, TokenValidationParameters parameters, BaseConfiguration? configuration, string tenantId)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        // Both handlers pass the metadata they fetched (through the validation parameters' configuration manager); when
        // none is passed, the handler has put the metadata's issuer into ValidIssuers.
        var expected = configuration?.Issuer is { Length: > 0 } published
            ? [published]
            : (parameters.ValidIssuers ?? []).Append(parameters.ValidIssuer).OfType<string>().Where(i => i.Length > 0).ToArray();
        if (expected.Length == 0)
        {
            throw new SecurityTokenInvalidIssuerException("IDX40001: the tenant's OpenID Connect metadata named no issuer to check the token against.") { InvalidIssuer = issuer };
        }
        if (string.IsNullOrEmpty(issuer) || !expected.Contains(issuer, StringComparer.Ordinal))
        {
            throw new SecurityTokenInvalidIssuerException(
                $"IDX40001: the token's issuer '{issuer}' is not the tenant's ({string.Join(", ", expected)}).") { InvalidIssuer = issuer };
        }
        var tid = token switch
        {
            JsonWebToken json => json.TryGetPayloadValue<string>("tid", out var value) ? value : null,
            System.IdentityModel.Tokens.Jwt.JwtSecurityToken jwt => jwt.Payload.TryGetValue("tid", out var value) ? value as string : null,
            _ => null,
        };
        if (!string.Equals(tid, tenantId, StringComparison.OrdinalIgnoreCase))
        {
            throw new SecurityTokenInvalidIssuerException("IDX40001: the token's tenant (tid) is not the configured tenant.") { InvalidIssuer = issuer };
        }
        return issuer;
    }
}
