using System.Text.Json.Serialization;

namespace AlkPlatform.Guidelines.Content;

[JsonConverter(typeof(JsonStringEnumConverter<UnknownOutcome>))]
public enum UnknownOutcome
{
    Unknown,
    True,
    False,
}
