using System.Text.Json.Serialization;

namespace AlkPlatform.Guidelines.Content;

[JsonConverter(typeof(JsonStringEnumConverter<CardSeverity>))]
public enum CardSeverity
{
    Info,
    Warning,
    Critical,
}
