using System.Text.Json.Nodes;
using AlkPlatform.Guidelines.Content;

namespace AlkPlatform.Testing.Generators;

/// <summary>Generated facts and rules (as JSON arrays) to put into the seed revision; a failing case prints just these.</summary>
public sealed record GeneratedRules(string Facts, bool KeepSeedFacts, string Rules)
{
    /// <summary>The whole revision: the seed with these facts added to (or instead of) its own, these rules, and no scenarios.</summary>
    public string ToRevisionJson()
    {
        var content = JsonNode.Parse(SeedGuideline.ReadJson())!.AsObject();
        var facts = KeepSeedFacts ? content["facts"]!.AsArray() : [];
        foreach (var fact in JsonNode.Parse(Facts)!.AsArray())
        {
            facts.Add(fact?.DeepClone());
        }
        content["facts"] = facts.DeepClone();
        content["rules"] = JsonNode.Parse(Rules);
        content["scenarios"] = new JsonArray();
        return content.ToJsonString();
    }
}
