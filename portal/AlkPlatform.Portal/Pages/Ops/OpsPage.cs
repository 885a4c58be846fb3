using AlkPlatform.Portal.Ops;
using Grpc.Core;
using GrpcStatus = Grpc.Core.StatusCode;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AlkPlatform.Portal.Pages.Ops;

/// <summary>
/// Base for the ops pages: calls to every replica of the recommendation service, merged by the page. A replica that cannot
/// answer is named on the page beside the others' results; when none can, the failure (not configured, unreachable, key
/// refused, bad filter) becomes a message with a fitting status code, never an error page.
/// </summary>
public abstract class OpsPage(RecommendationServiceConnection service) : PageModel
{
    private ReplicaDiscovery? _discovery;

    protected RecommendationServiceConnection Service { get; } = service;

    /// <summary>Why the page could not show what it is for; null when all went well.</summary>
    public string? ServiceProblem { get; private set; }

    /// <summary>Replicas whose part is missing from what the page shows, each with why: the results are partial.</summary>
    public List<UnreachableReplica> UnreachableReplicas { get; } = [];

    /// <summary>How many replicas the page asked.</summary>
    public int ReplicasAsked { get; private set; }

    protected CallOptions Unary => Service.Unary(HttpContext.RequestAborted);

    /// <summary>
    /// Runs <paramref name="call"/> on every replica at once. Returns the answers of those that answered (null, with the
    /// problem recorded, when none did); each one that failed is named in <see cref="UnreachableReplicas"/>.
    /// </summary>
    protected async Task<IReadOnlyList<ReplicaAnswer<T>>?> CallEachAsync<T>(Func<RecommendationServiceReplica, Task<T>> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (!Service.IsConfigured)
        {
            Fail(RecommendationServiceConnection.NotConfiguredMessage, StatusCodes.Status503ServiceUnavailable);
            return null;
        }
        // Found once per page: a chart page makes two dozen calls of every replica.
        var discovery = _discovery ??= await Service.DiscoverAsync(HttpContext.RequestAborted);
        discovery.Problems.ToList().ForEach(Note);
        ReplicasAsked = discovery.Replicas.Count;
        if (discovery.Replicas.Count == 0)
        {
            Fail(discovery.Problems.Count > 0 ? discovery.Problems[0].Problem : RecommendationServiceConnection.NotConfiguredMessage, StatusCodes.Status503ServiceUnavailable);
            return null;
        }
        var outcomes = await Task.WhenAll(discovery.Replicas.Select(async replica =>
        {
            try
            {
                return (Replica: replica, Answer: new ReplicaAnswer<T>(replica, await call(replica)), Error: (RpcException?)null);
            }
            catch (RpcException ex)
            {
                return (Replica: replica, Answer: (ReplicaAnswer<T>?)null, Error: ex);
            }
        }));
        var answers = outcomes.Select(o => o.Answer).OfType<ReplicaAnswer<T>>().ToList();
        var failures = outcomes.Where(o => o.Error is not null).ToList();
        if (answers.Count == 0)
        {
            Fail(failures[0].Replica, failures[0].Error!);
            if (failures.Count == 1)
            {
                return null;
            }
        }
        failures.ForEach(f => Note(new UnreachableReplica(f.Replica.Name, RecommendationServiceConnection.Describe(f.Replica, f.Error!))));
        return answers.Count == 0 ? null : answers;
    }

    /// <summary>Runs one call on one replica (e.g. a replay where the record lives); on failure records the problem and returns null.</summary>
    protected async Task<T?> CallAsync<T>(RecommendationServiceReplica replica, Func<Task<T>> call) where T : class
    {
        ArgumentNullException.ThrowIfNull(replica);
        ArgumentNullException.ThrowIfNull(call);
        try
        {
            return await call();
        }
        catch (RpcException ex)
        {
            Fail(replica, ex);
            return null;
        }
    }

    protected void Fail(RecommendationServiceReplica replica, RpcException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        Fail(RecommendationServiceConnection.Describe(replica, exception), exception.StatusCode switch
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

    /// <summary>Names a replica whose part is missing; once per replica, as each call of a page may fail on it again.</summary>
    protected void Note(UnreachableReplica replica)
    {
        ArgumentNullException.ThrowIfNull(replica);
        if (!UnreachableReplicas.Any(r => r.Name == replica.Name))
        {
            UnreachableReplicas.Add(replica);
        }
    }
}
