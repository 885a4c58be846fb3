using System.Text.Json.Serialization;

namespace AlkPlatform.Guidelines.Content;

/// <summary>What a labelled question expects of Ask.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<QuestionKind>))]
public enum QuestionKind
{
    /// <summary>Answered, with one of the acceptable statements among the first three.</summary>
    InScope,
    /// <summary>Refused, naming the term the guideline does not know.</summary>
    OutOfScope,
    /// <summary>Refused: its words are known, but the guideline does not cover their combination.</summary>
    NearMiss,
}
