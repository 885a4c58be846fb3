using System.Text.Json.Serialization;

namespace AlkPlatform.Guidelines.Content;

[JsonConverter(typeof(JsonStringEnumConverter<CardKind>))]
public enum CardKind
{
    Recommend,
    Consider,
    Avoid,
    Monitor,
    Assess,
}
