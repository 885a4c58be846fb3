using AlkPlatform.Portal.Ops;
using Grpc.Core;
using GrpcStatus = Grpc.Core.StatusCode;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AlkPlatform.Portal.Pages.Ops;

/// <summary>
/// Base for the ops pages: calls to the recommendation service whose failures (not configured, unreachable, key
/// refused, bad filter) become a message on the page with a fitting status code, never an error page.
/// </summary>
public abstract class OpsPage(RecommendationServiceConnection service) : PageModel
{
    protected RecommendationServiceConnection Service { get; } = service;

    /// <summary>Why the page could not show what it is for; null when all went well.</summary>
    public string? ServiceProblem { get; private set; }

    protected CallOptions Unary => Service.Unary(HttpContext.RequestAborted);

    /// <summary>Runs one call; on failure records the problem and returns null.</summary>
    protected async Task<T?> CallAsync<T>(Func<Task<T>> call) where T : class
    {
        ArgumentNullException.ThrowIfNull(call);
        if (!Service.IsConfigured)
        {
            Fail(RecommendationServiceConnection.NotConfiguredMessage, StatusCodes.Status503ServiceUnavailable);
            return null;
        }
        try
        {
            return await call();
        }
        catch (RpcException ex)
        {
            Fail(ex);
            return null;
        }
    }

    protected void Fail(RpcException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        Fail(Service.Describe(exception), exception.StatusCode switch
        {
            GrpcStatus.NotFound => StatusCodes.Status404NotFound,
            GrpcStatus.InvalidArgument or GrpcStatus.FailedPrecondition => StatusCodes.Status422UnprocessableEntity,
            _ => StatusCodes.Status503ServiceUnavailable,
        });
    }

    protected void Fail(string message, int statusCode)
    {
        // The first problem explains the page; later calls usually fail for the same reason.
        ServiceProblem ??= message;
        Response.StatusCode = statusCode;
    }
}
