using System.Text.Json.Serialization;

namespace AlkPlatform.Guidelines.Content;

[JsonConverter(typeof(JsonStringEnumConverter<ComparisonOperator>))]
public enum ComparisonOperator
{
    Eq,
    Ne,
    Lt,
    Lte,
    Gt,
    Gte,
    In,
    Known,
}
