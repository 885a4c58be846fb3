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
        Converters = { new FiniteDoubleConverter() },
    };

    private static readonly JsonSerializerOptions IndentedOptions = new(Options) { WriteIndented = true };

    private static readonly JsonDocumentOptions DocumentOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    /// <summary>Parses content; malformed JSON, an unknown property or a null in a list fails with the JSON path in the message.</summary>
    public static GuidelineContent Parse(string json)
    {
        try
        {
            var content = JsonSerializer.Deserialize<GuidelineContent>(json, Options)
                ?? throw new GuidelineFormatException("$", "content is empty");
            using var document = JsonDocument.Parse(json, DocumentOptions);
            RefuseNullListItems(document.RootElement);
            return content;
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
            var content = JsonSerializer.Deserialize<GuidelineContent>(utf8, Options)
                ?? throw new GuidelineFormatException("$", "content is empty");
            var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            using var document = JsonDocument.ParseValue(ref reader);
            RefuseNullListItems(document.RootElement);
            return content;
        }
        catch (JsonException ex)
        {
            throw new GuidelineFormatException(ex.Path ?? "$", ex.Message);
        }
    }

    /// <summary>
    /// Nullable annotations cover properties, not list items, so <c>"any": [null]</c> would deserialize; every reader of the
    /// content (validator, editor, diff) relies on lists holding no nulls.
    /// </summary>
    private static void RefuseNullListItems(JsonElement root)
    {
        if (NullListItem(root) is { } path)
        {
            throw new GuidelineFormatException("$" + path, "a list item is null");
        }
    }

    /// <summary>The path (below <paramref name="element"/>) of the first null list item, built only when there is one.</summary>
    private static string? NullListItem(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (NullListItem(property.Value) is { } below)
                    {
                        return $".{property.Name}{below}";
                    }
                }
                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (item.ValueKind == JsonValueKind.Null)
                    {
                        return $"[{i}]";
                    }
                    if (NullListItem(item) is { } below)
                    {
                        return $"[{i}]{below}";
                    }
                    i++;
                }
                break;
        }
        return null;
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
