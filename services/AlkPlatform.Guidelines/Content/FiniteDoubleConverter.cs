using System.Text.Json;
using System.Text.Json.Serialization;

namespace AlkPlatform.Guidelines.Content;

/// <summary>
/// Reads content numbers (doses, fact bounds) as finite doubles only: the reader turns 1e400 into infinity, which parses
/// but can never be written back, so the revision could be neither hashed nor saved.
/// </summary>
internal sealed class FiniteDoubleConverter : JsonConverter<double>
{
    public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var value = reader.GetDouble();
        return double.IsFinite(value) ? value : throw new JsonException($"{value} is not a finite number");
    }

    public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteNumberValue(value);
    }
}
