using System.Text.Json.Serialization;

namespace AlkPlatform.Guidelines.Content;

/// <summary>A follow-up question with the outcome the board expects; the set runs in CI and as a publish gate.</summary>
public sealed record LabelledQuestion
{
    public required string Id { get; init; }
    public required string Text { get; init; }
    public QuestionKind Kind { get; init; }

    /// <summary>In scope: the statements that answer it; one of them must be among the first three hits.</summary>
    public IReadOnlyList<string>? Acceptable { get; init; }

    /// <summary>Out of scope: the term the refusal must name.</summary>
    public string? UnknownTerm { get; init; }

    /// <summary>Out of scope: what the question is about (alk-inhibitor, lymphoma-therapy, organ-impairment, pregnancy, …).</summary>
    public string? Topic { get; init; }

    /// <summary>Out of scope: the unknown term is an agent the guideline does not mention; these must all be refused.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool NamesAgent { get; init; }

    /// <summary>Part of the frozen set: never used to tune the lexicon, so its figures measure what tuning did not see.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Frozen { get; init; }
}
