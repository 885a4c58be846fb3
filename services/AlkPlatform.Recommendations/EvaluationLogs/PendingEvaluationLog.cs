using AlkPlatform.Contracts.Ops.V1;
using Google.Protobuf;

namespace AlkPlatform.Recommendations.EvaluationLogs;

/// <summary>
/// One evaluation waiting for the writer; its task completes once the record is committed. The request and response
/// are kept by reference (neither is mutated after the handler returns) and encoded on the writer's thread.
/// </summary>
public sealed class PendingEvaluationLog() : TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)
{
    public required string EvaluationId { get; init; }
    public required long OccurredAtMs { get; init; }
    public required EvaluationMethod Method { get; init; }
    /// <summary>The verified calling app (its app id, or <see cref="Authentication.VerifiedCaller.AnonymousDevelopmentId"/>).</summary>
    public required string Caller { get; init; }
    public string CallerName { get; init; } = "";
    /// <summary>What the <c>x-client-app</c> header said, bounded.</summary>
    public string ClaimedCaller { get; init; } = "";
    public string Rpc { get; init; } = "";
    /// <summary>For refused calls: the masked description of what was presented.</summary>
    public string Credential { get; init; } = "";
    /// <summary>Null for calls refused before their request was read (authentication, authorisation).</summary>
    public IMessage? Request { get; init; }
    public IMessage? Response { get; init; }
    /// <summary>For refused or invalid calls: the guideline asked for and the release live at the time, if any.</summary>
    public string GuidelineId { get; init; } = "";
    public string ReleaseId { get; init; } = "";
    public int RevisionNumber { get; init; }
    public string ContentHash { get; init; } = "";
    public int StatusCode { get; init; }
    public string StatusMessage { get; init; } = "";
    public long LatencyUs { get; init; }
    public string TraceId { get; init; } = "";
    /// <summary>The call's deadline (UTC); an answer still uncommitted when it passes is recorded and refused as DeadlineExceeded.</summary>
    public DateTime Deadline { get; init; } = DateTime.MaxValue;
}
