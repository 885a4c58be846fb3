namespace AlkPlatform.Recommendations.EvaluationLogs;

/// <summary>How a field is treated before a log record is stored.</summary>
public enum MaskAction
{
    /// <summary>Stored as given.</summary>
    Keep,
    /// <summary>Replaced by <see cref="EvaluationLogOptions.RedactedValue"/>, so the record shows a value was given.</summary>
    Redact,
    /// <summary>Left out of the record entirely.</summary>
    Erase,
}

/// <summary>The <c>EvaluationLogs</c> configuration section.</summary>
public sealed class EvaluationLogOptions
{
    public const string Section = "EvaluationLogs";
    public const string RedactedValue = "[masked]";

    /// <summary>Evaluations waiting for the writer; beyond this, calls are refused with ResourceExhausted.</summary>
    public int QueueCapacity { get; set; } = 8192;

    /// <summary>Most records committed in one transaction.</summary>
    public int MaxBatchSize { get; set; } = 512;

    /// <summary>Records (and feedback) older than this are deleted.</summary>
    public TimeSpan RetentionAge { get; set; } = TimeSpan.FromDays(90);

    public TimeSpan RetentionInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Rows deleted per retention transaction; small, so the writer never waits long for the lock.</summary>
    public int RetentionBatchSize { get; set; } = 500;

    /// <summary>
    /// Field path (protobuf field names: <c>correlation_id</c>, <c>question</c>, <c>facts.age_years</c>, feedback's
    /// <c>comment</c>, an Ask abstention's <c>unknown_terms</c>) to action. Free-text fields are masked unless configuration
    /// says <c>Keep</c>.
    /// </summary>
    public Dictionary<string, MaskAction> Masking { get; set; } = new(StringComparer.Ordinal)
    {
        ["correlation_id"] = MaskAction.Redact,
        ["question"] = MaskAction.Redact,
        ["comment"] = MaskAction.Redact,
        ["unknown_terms"] = MaskAction.Redact,
    };

    /// <summary>Shared secret the ops API requires in <c>x-ops-api-key</c>; empty disables the ops API. Never committed.</summary>
    public string OpsApiKey { get; set; } = "";

    public MaskAction MaskFor(string fieldPath) =>
        Masking.TryGetValue(fieldPath, out var action) ? action : MaskAction.Keep;
}
