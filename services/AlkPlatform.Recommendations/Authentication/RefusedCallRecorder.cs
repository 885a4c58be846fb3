using AlkPlatform.Contracts.Ops.V1;
using AlkPlatform.Recommendations.EvaluationLogs;
using Grpc.Core;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.IdentityModel.Tokens;

namespace AlkPlatform.Recommendations.Authentication;

/// <summary>
/// Every gRPC call the authorisation middleware refuses is put on record (what was presented, masked, and why) before
/// the refusal leaves, as a gRPC status: Unauthenticated without a valid token, PermissionDenied without the RPC's app
/// role. Nothing of the request is read; no data is answered.
/// </summary>
public sealed class RefusedCallRecorder(
    GroupCommitLogWriter writer, CallerAuthentication authentication, TimeProvider clock, ILogger<RefusedCallRecorder> logger)
    : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(authorizeResult);
        if (authorizeResult.Succeeded || context.Request.ContentType?.StartsWith("application/grpc", StringComparison.Ordinal) != true)
        {
            await _default.HandleAsync(next, context, policy, authorizeResult).ConfigureAwait(false);
            return;
        }

        var forbidden = authorizeResult.Forbidden && context.User.Identity?.IsAuthenticated == true;
        var status = forbidden ? StatusCode.PermissionDenied : StatusCode.Unauthenticated;
        var caller = forbidden ? VerifiedCaller.Of(context.User, authentication.KnownApps) : null;
        var message = forbidden
            ? $"The app {caller?.AppId ?? "(unnamed)"} holds none of the app roles this call needs ({string.Join(" or ", RequiredRoles(policy))})."
            : $"This call needs an Entra app token for this service (authorization: Bearer ...): {await WhyUnauthenticatedAsync(context).ConfigureAwait(false)}.";
        var evaluationId = Guid.CreateVersion7().ToString();
        var path = context.Request.Path.Value ?? "";
        try
        {
            await writer.Append(new PendingEvaluationLog
            {
                EvaluationId = evaluationId,
                OccurredAtMs = clock.GetUtcNow().ToUnixTimeMilliseconds(),
                Method = EvaluationMethodOf(path),
                Caller = caller?.AppId ?? "",
                CallerName = caller?.Name ?? "",
                ClaimedCaller = ClaimedCallerLabel.Of(context),
                Rpc = ClaimedCallerLabel.Bound(path, 200),
                Credential = PresentedCredential.Describe(context),
                StatusCode = (int)status,
                StatusMessage = message,
            }).ConfigureAwait(false);
        }
        catch (RpcException ex)
        {
            // The refusal stands either way; only its record is missing, and the operator is told.
            logger.LogWarning("A refused call ({Status}) could not be recorded: {Reason}", status, ex.Status.Detail);
        }

        // A trailers-only gRPC response: the client sees the status and message, and the evaluation id of the record.
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/grpc";
        context.Response.Headers["grpc-status"] = ((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture);
        context.Response.Headers["grpc-message"] = Uri.EscapeDataString(message);
        context.Response.Headers[EvaluationLogInterceptor.EvaluationIdTrailer] = evaluationId;
        if (!forbidden)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
        }
    }

    private static IEnumerable<string> RequiredRoles(AuthorizationPolicy policy) =>
        policy.Requirements.OfType<AppRoleRequirement>().SelectMany(r => r.Roles).DefaultIfEmpty("an app role of this service");

    private static async Task<string> WhyUnauthenticatedAsync(HttpContext context)
    {
        if (context.Request.Headers.Authorization.Count == 0)
        {
            return "none was presented";
        }
        // The handler keeps its result for the request: this reads why it failed, it does not validate again.
        var result = await context.AuthenticateAsync().ConfigureAwait(false);
        return result.Failure switch
        {
            SecurityTokenExpiredException => "the token has expired",
            SecurityTokenNotYetValidException => "the token is not valid yet",
            SecurityTokenInvalidAudienceException => "the token was issued for another audience",
            SecurityTokenInvalidIssuerException => "the token's issuer or tenant is not the one this service trusts",
            SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException => "the token is not signed by a key its issuer publishes",
            SecurityTokenException refused => $"the token was refused ({refused.GetType().Name})",
            null => "the credential is not a bearer token this service can read",
            var other => $"the token could not be validated ({other.GetType().Name})",
        };
    }

    private static EvaluationMethod EvaluationMethodOf(string path) => path switch
    {
        "/alk.recommendation.v1.RecommendationService/Recommend" => EvaluationMethod.Recommend,
        "/alk.recommendation.v1.RecommendationService/Ask" => EvaluationMethod.Ask,
        "/alk.recommendation.v1.RecommendationService/GetGuideline" => EvaluationMethod.GetGuideline,
        _ => EvaluationMethod.Unspecified,
    };
}
