using System.Text.Json.Nodes;
using AlkPlatform.Guidelines.Content;
using CsCheck;

namespace AlkPlatform.Testing.Generators;

/// <summary>
/// Generated revision files: the seed revision's JSON with one to four edits anywhere in it (a property removed, a value
/// of another kind, an unknown property, a duplicated list item, a hostile string, another guideline id, deep nesting),
/// and sometimes the text itself broken (cut short, a lone surrogate escape).
/// </summary>
public static class RevisionImports
{
    private static readonly string SeedJson = SeedGuideline.ReadJson();
    private static readonly string[] Paths = [.. AllPaths(JsonNode.Parse(SeedJson)!, "")];

    private static readonly Gen<JsonNode?> Replacement = Gen.Frequency(
        (2, Gen.OneOf("null", "0", "-1", "1e400", "true", "\"\"", "[]", "{}", "[null]", "{\"unexpected\":1}", "\"Lt, Gt\"", "99").Select(j => JsonNode.Parse(j))),
        (2, GeneratedText.Any(300).Select(s => (JsonNode?)JsonValue.Create(s))),
        (1, GeneratedText.Around(140, 2000).Select(s => (JsonNode?)JsonValue.Create(s))),
        (1, Gen.Double.Select(d => double.IsFinite(d) ? (JsonNode?)JsonValue.Create(d) : JsonValue.Create("NaN"))));

    private static readonly Gen<(string Description, Func<JsonNode, string?> Apply)> Edit = Gen.Frequency(
        (3, Gen.Int[0, Paths.Length - 1].Select(i => ($"remove {Paths[i]}", (Func<JsonNode, string?>)(root => Remove(root, Paths[i]))))),
        (4, Gen.Select(Gen.Int[0, Paths.Length - 1], Replacement, (i, value) =>
            ($"set {Paths[i]} = {Preview(value)}", (Func<JsonNode, string?>)(root => Replace(root, Paths[i], value?.DeepClone()))))),
        (1, Gen.Int[0, Paths.Length - 1].Select(i => ($"add an unknown property beside {Paths[i]}", (Func<JsonNode, string?>)(root =>
        {
            if (Find(root, Paths[i])?.Parent is JsonObject parent)
            {
                parent["unexpectedProperty"] = 1;
            }
            return null;
        })))),
        (2, Gen.Int[0, Paths.Length - 1].Select(i => ($"duplicate the list item at {Paths[i]}", (Func<JsonNode, string?>)(root =>
        {
            if (Find(root, Paths[i]) is { Parent: JsonArray list } item)
            {
                list.Add(item.DeepClone());
            }
            return null;
        })))),
        (1, Gen.OneOf("", "ALK-LBCL", "other-guideline", "alk-lbcl\n").Select(id => ($"guidelineId = {Preview(JsonValue.Create(id))}", (Func<JsonNode, string?>)(root =>
        {
            root["guidelineId"] = id;
            return null;
        })))),
        (1, Gen.Int[0, Paths.Length - 1].Select(i => ($"nest {Paths[i]} 70 arrays deep", (Func<JsonNode, string?>)(root =>
        {
            JsonNode nested = JsonValue.Create(1);
            for (var depth = 0; depth < 70; depth++)
            {
                nested = new JsonArray(nested);
            }
            return Replace(root, Paths[i], nested);
        })))));

    /// <summary>Broken text: cut short, or a lone surrogate escape (\ud800) inside a string.</summary>
    private static readonly Gen<(string Description, Func<string, string> Apply)> TextEdit = Gen.Frequency(
        (8, Gen.Const(("", (Func<string, string>)(json => json)))),
        (1, Gen.Double.Unit.Select(f => ($"cut at {f:P0}", (Func<string, string>)(json => json[..(int)(json.Length * f)])))),
        (1, Gen.Const(("a lone surrogate escape in the title", (Func<string, string>)(json => json.Replace("\"title\":\"", "\"title\":\"\\ud800", StringComparison.Ordinal))))));

    public static readonly Gen<RevisionImport> File = Gen.Select(Edit.Array[1, 4], TextEdit, (edits, text) =>
    {
        var root = JsonNode.Parse(SeedJson)!;
        var applied = new List<string>();
        foreach (var (description, apply) in edits)
        {
            applied.Add(apply(root) is { } skipped ? $"{description} (skipped: {skipped})" : description);
        }
        if (text.Description.Length > 0)
        {
            applied.Add(text.Description);
        }
        return new RevisionImport(applied, text.Apply(root.ToJsonString()));
    });

    private static IEnumerable<string> AllPaths(JsonNode node, string path)
    {
        if (path.Length > 0)
        {
            yield return path;
        }
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj)
                {
                    if (child is not null)
                    {
                        foreach (var below in AllPaths(child, $"{path}/{name}"))
                        {
                            yield return below;
                        }
                    }
                }
                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is { } child)
                    {
                        foreach (var below in AllPaths(child, $"{path}/{i}"))
                        {
                            yield return below;
                        }
                    }
                }
                break;
        }
    }

    /// <summary>The node at a path like <c>/rules/3/when</c>; null when an earlier edit removed it.</summary>
    private static JsonNode? Find(JsonNode root, string path)
    {
        var node = root;
        foreach (var segment in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            node = node switch
            {
                JsonObject obj => obj[segment],
                JsonArray array when int.TryParse(segment, out var i) && i < array.Count => array[i],
                _ => null,
            };
            if (node is null)
            {
                return null;
            }
        }
        return node;
    }

    private static string? Remove(JsonNode root, string path)
    {
        var node = Find(root, path);
        switch (node?.Parent)
        {
            case JsonObject parent:
                parent.Remove(node.GetPropertyName());
                return null;
            case JsonArray list:
                list.Remove(node);
                return null;
            default:
                return "gone";
        }
    }

    private static string? Replace(JsonNode root, string path, JsonNode? value)
    {
        var node = Find(root, path);
        switch (node?.Parent)
        {
            case JsonObject parent:
                parent[node.GetPropertyName()] = value;
                return null;
            case JsonArray list:
                list[node.GetElementIndex()] = value;
                return null;
            default:
                return "gone";
        }
    }

    private static string Preview(JsonNode? value)
    {
        var text = value?.ToJsonString() ?? "null";
        return text.Length <= 60 ? text : $"{text[..60]}… ({text.Length} characters)";
    }
}
