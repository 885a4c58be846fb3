using AlkPlatform.Contracts.Ops.V1;
using Grpc.Core;

namespace AlkPlatform.Testing;

public static class LoggedEvaluations
{
    /// <summary>The evaluation ids the service's ops API does not find (NOT_FOUND), in the order given.</summary>
    public static async Task<List<string>> MissingAsync(
        EvaluationLogService.EvaluationLogServiceClient ops, IEnumerable<string> evaluationIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ops);
        ArgumentNullException.ThrowIfNull(evaluationIds);
        var missing = new List<string>();
        foreach (var id in evaluationIds)
        {
            try
            {
                await ops.GetEvaluationLogAsync(new GetEvaluationLogRequest { EvaluationId = id }, cancellationToken: cancellationToken);
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.NotFound)
            {
                missing.Add(id);
            }
        }
        return missing;
    }
}
