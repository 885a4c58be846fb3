namespace AlkPlatform.Recommendations.Limits;

/// <summary>
/// The <c>Limits</c> configuration section: how much a caller may send. Every limit is documented in
/// deploy/recommendation-service.md; the defaults hold the largest real request with room to spare.
/// </summary>
public sealed class LimitsOptions
{
    public const string Section = "Limits";

    /// <summary>Largest request message of the clinical services (Recommend, Ask, GetGuideline, ListGuidelines, SubmitFeedback).</summary>
    public int MaxClinicalMessageBytes { get; set; } = 64 * 1024;

    /// <summary>Largest request message of every other service: the ops API, release activations, health, reflection.</summary>
    public int MaxMessageBytes { get; set; } = 64 * 1024;

    /// <summary>All request headers of one call together (HTTP/2 HPACK-decoded size), bearer token included.</summary>
    public int MaxRequestHeadersTotalBytes { get; set; } = 16 * 1024;

    public int MaxRequestHeaderCount { get; set; } = 48;

    public int MaxQuestionLength { get; set; } = 1000;

    public int MaxCorrelationIdLength { get; set; } = 128;

    /// <summary>The <c>x-client-app</c> header: printable ASCII, at most this long.</summary>
    public int MaxClientAppLength { get; set; } = 128;

    /// <summary>The names of the settings that are not positive; empty when all are.</summary>
    public IEnumerable<string> Invalid()
    {
        (string Name, int Value)[] all =
        [
            (nameof(MaxClinicalMessageBytes), MaxClinicalMessageBytes), (nameof(MaxMessageBytes), MaxMessageBytes),
            (nameof(MaxRequestHeadersTotalBytes), MaxRequestHeadersTotalBytes), (nameof(MaxRequestHeaderCount), MaxRequestHeaderCount),
            (nameof(MaxQuestionLength), MaxQuestionLength), (nameof(MaxCorrelationIdLength), MaxCorrelationIdLength),
            (nameof(MaxClientAppLength), MaxClientAppLength),
        ];
        return all.Where(s => s.Value <= 0).Select(s => $"{Section}:{s.Name}");
    }
}
