using System.Text.Json.Serialization;

namespace AlkPlatform.Guidelines.Content;

public sealed record TherapyTemplate
{
    public required string Drug { get; init; }
    public string Unit { get; init; } = "";
    public string Frequency { get; init; } = "";
    public string Route { get; init; } = "";
    public string? WeightBasedAdjustment { get; init; }
    /// <summary>Candidate doses; the first whose condition holds is the patient's dose.</summary>
    // Stored content and its hashes spell the key "doses"; the contract calls the same thing dose_options.
    [JsonPropertyName("doses")]
    public IReadOnlyList<DoseOption> DoseOptions { get; init; } = [];
}
