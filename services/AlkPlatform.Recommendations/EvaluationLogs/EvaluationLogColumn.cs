namespace AlkPlatform.Recommendations.EvaluationLogs;

/// <summary>
/// The columns of <c>evaluation_logs</c>, in insert order: each value is the column's parameter number in the writer's
/// insert, its name is the <see cref="EvaluationLogRow"/> property Dapper fills, and its snake_case form is the SQL name.
/// </summary>
public enum EvaluationLogColumn
{
    Seq = 1,
    EvaluationId,
    OccurredAtMs,
    Method,
    Caller,
    GuidelineId,
    ReleaseId,
    RevisionNumber,
    ContentHash,
    Audience,
    InputJson,
    CardsJson,
    RulesFired,
    MissingFacts,
    SeverityMask,
    StatusCode,
    StatusMessage,
    LatencyUs,
    TraceId,
    MaskedFields,
    CardSetId,
    CallerName,
    ClaimedCaller,
    Rpc,
    Credential,
}
