using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace AlkPlatform.Guidelines.Content;

/// <summary>Reads and writes guideline content, and computes the canonical form whose SHA-256 identifies a revision.</summary>
public static class GuidelineJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
        WriteIndented = false,
    };

    private static readonly JsonSerializerOptions IndentedOptions = new(Options) { WriteIndented = true };

    /// <summary>Parses content; malformed JSON or an unknown property fails with the JSON path in the message.</summary>
    public static GuidelineContent Parse(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<GuidelineContent>(json, Options)
                ?? throw new GuidelineFormatException("$", "content is empty");
        }
        catch (JsonException ex)
        {
            throw new GuidelineFormatException(ex.Path ?? "$", ex.Message);
        }
    }

    public static GuidelineContent Parse(ReadOnlySpan<byte> utf8)
    {
        try
        {
            return JsonSerializer.Deserialize<GuidelineContent>(utf8, Options)
                ?? throw new GuidelineFormatException("$", "content is empty");
        }
        catch (JsonException ex)
        {
            throw new GuidelineFormatException(ex.Path ?? "$", ex.Message);
        }
    }

    public static string ToIndentedJson(GuidelineContent content) => JsonSerializer.Serialize(content, IndentedOptions);

    /// <summary>
    /// Canonical form: compact UTF-8 JSON, object keys sorted ordinally at every depth, nulls omitted, array order kept.
    /// Two contents with the same canonical bytes are the same revision.
    /// </summary>
    public static byte[] ToCanonicalUtf8(GuidelineContent content)
    {
        var node = JsonSerializer.SerializeToNode(content, Options);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = Options.Encoder, Indented = false }))
        {
            WriteSorted(writer, node);
        }
        return buffer.ToArray();
    }

    public static string ComputeHash(ReadOnlySpan<byte> canonicalUtf8) =>
        Convert.ToHexStringLower(SHA256.HashData(canonicalUtf8));

    public static string ComputeHash(GuidelineContent content) => ComputeHash(ToCanonicalUtf8(content));

    private static void WriteSorted(Utf8JsonWriter writer, JsonNode? node)
    {
        switch (node)
        {
            case null:
                writer.WriteNullValue();
                break;
            case JsonObject obj:
                writer.WriteStartObject();
                foreach (var (key, value) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    if (value is null)
                    {
                        continue;
                    }
                    writer.WritePropertyName(key);
                    WriteSorted(writer, value);
                }
                writer.WriteEndObject();
                break;
            case JsonArray array:
                writer.WriteStartArray();
                foreach (var item in array)
                {
                    WriteSorted(writer, item);
                }
                writer.WriteEndArray();
                break;
            default:
                node.WriteTo(writer);
                break;
        }
    }
}
