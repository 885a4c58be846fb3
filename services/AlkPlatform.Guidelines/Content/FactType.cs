using System.Text.Json.Serialization;

namespace AlkPlatform.Guidelines.Content;

[JsonConverter(typeof(JsonStringEnumConverter<FactType>))]
public enum FactType
{
    Boolean,
    Number,
    Enum,
}
