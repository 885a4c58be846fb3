using AlkPlatform.Contracts.Ops.V1;

namespace AlkPlatform.Portal.Pages.Ops;

/// <summary>What one replica returned for a merged log page: the records after its position, and its token after them.</summary>
public sealed record ReplicaLogPage(ReplicaPosition From, IReadOnlyList<EvaluationLogRecord> Records, string NextPageToken);
