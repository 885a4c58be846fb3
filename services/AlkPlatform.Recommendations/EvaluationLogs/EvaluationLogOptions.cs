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

    /// <summary>
    /// Longest text stored from a request field or status message; a longer one (only a refused call has one) is stored
    /// cut to this length, its full length noted in <c>masked_fields</c> as <c>path:truncated:length</c>.
    /// </summary>
    public int MaxStoredTextLength { get; set; } = 1000;

    /// <summary>
    /// Largest the service database may grow through the log writer (SQLite <c>max_page_count</c> on its connection); 0 =
    /// as large as the disk allows. Past it commits fail as on a full disk: answers are withheld (Unavailable) until
    /// retention frees pages, and the disk stays free for everything else.
    /// </summary>
    public long MaxDatabaseBytes { get; set; }

    public MaskAction MaskFor(string fieldPath) =>
        Masking.TryGetValue(fieldPath, out var action) ? action : MaskAction.Keep;
}
