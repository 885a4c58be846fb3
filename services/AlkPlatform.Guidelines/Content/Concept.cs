using System.Text.Json.Serialization;

namespace AlkPlatform.Guidelines.Content;

/// <summary>One idea and the terms that mean the same for matching questions to statements (equivalents only).</summary>
public sealed record Concept
{
    public required string Id { get; init; }

    public IReadOnlyList<string> Terms { get; init; } = [];

    /// <summary>A population or disease (NSCLC, ALCL, children): a question naming it is answered only by a statement whose own text names it.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Qualifier { get; init; }
}
