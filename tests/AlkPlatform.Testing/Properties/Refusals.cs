using Google.Rpc;
using Grpc.Core;

namespace AlkPlatform.Testing.Properties;

/// <summary>What a refused gRPC call says about itself: whether it is a fault of the service, and which fields it names.</summary>
public static class Refusals
{
    /// <summary>Codes that mean the service failed, not the request: no input may produce them.</summary>
    public static readonly IReadOnlySet<StatusCode> Faults = new HashSet<StatusCode> { StatusCode.Internal, StatusCode.Unknown, StatusCode.DataLoss };

    /// <summary>The fields the refusal's <c>google.rpc.BadRequest</c> names, sorted; empty when it carries none.</summary>
    public static SortedSet<string> FieldsNamed(RpcException refusal)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        var badRequest = refusal.GetRpcStatus()?.GetDetail<BadRequest>();
        return new SortedSet<string>(badRequest?.FieldViolations.Select(v => v.Field) ?? [], StringComparer.Ordinal);
    }

    /// <summary>"Internal: Exception was thrown by handler. …" with the BadRequest's fields, for a failure message.</summary>
    public static string Describe(RpcException refusal)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        var detail = refusal.Status.Detail.Length <= 300 ? refusal.Status.Detail : refusal.Status.Detail[..300] + "…";
        return $"{refusal.StatusCode}: {detail} [fields: {string.Join(", ", FieldsNamed(refusal))}]";
    }
}
