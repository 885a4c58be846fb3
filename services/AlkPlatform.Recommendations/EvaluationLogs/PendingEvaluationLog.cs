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
    public required string Caller { get; init; }
    public required IMessage Request { get; init; }
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
