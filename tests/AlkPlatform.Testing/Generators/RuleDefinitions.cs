using System.Text.Json.Nodes;
using AlkPlatform.Guidelines.Content;
using CsCheck;

namespace AlkPlatform.Testing.Generators;

/// <summary>
/// Generated fact and rule definitions as the JSON a revision carries: condition trees of every shape (and shapes that
/// are no condition), operators by name, by number and misspelt, values of every JSON kind including numbers no double
/// holds (1e400), enum facts with no values or too many, cards with any kind, severity, summary length and dose. The
/// seed's own facts and statements are mixed in, so many generated rules are valid and get compiled and evaluated.
/// </summary>
public static class RuleDefinitions
{
    private static readonly GuidelineContent Seed = SeedGuideline.Load();
    private static readonly string[] SeedFactIds = [.. Seed.Facts.Select(f => f.Id)];
    private static readonly string[] StatementIds = [.. Seed.AllStatements().Select(s => s.Id)];
    private static readonly string[] Operators = ["Eq", "Ne", "Lt", "Lte", "Gt", "Gte", "In", "Known"];
    private static readonly string[] GeneratedFactIds = ["g_flag", "g_score", "g_stage", "g_other"];

    /// <summary>A JSON value parsed from its text, so numbers beyond a double (1e400) reach the content parser as written.</summary>
    private static JsonNode? Raw(string json) => JsonNode.Parse(json);

    private static Gen<JsonNode?> Number => Gen.Frequency(
        (4, Gen.Double[-100, 600].Select(d => (JsonNode?)JsonValue.Create(Math.Round(d, 3)))),
        (2, Gen.OneOf("0", "-0", "35", "34.999", "500", "1e308", "-1e308", "1e400", "-1e400", "1e-400", "0.1e1", "123456789012345678901234567890").Select(Raw)),
        (1, Gen.Int.Select(i => (JsonNode?)JsonValue.Create(i))));

    /// <summary>Any JSON value: the right kind for some fact, or not.</summary>
    private static Gen<JsonNode?> AnyValue => Gen.Frequency(
        (3, Number),
        (2, Gen.Bool.Select(b => (JsonNode?)JsonValue.Create(b))),
        (3, Gen.OneOf([.. Seed.Facts.SelectMany(f => f.Values), "stage-1", "stage-2", "unknown-value", ""]).Select(v => (JsonNode?)JsonValue.Create(v))),
        (1, GeneratedText.Any(40).Select(s => (JsonNode?)JsonValue.Create(s))),
        (1, Gen.OneOf("null", "{}", "[]", "[1,2]", "{\"a\":1}").Select(Raw)));

    private static Gen<string> FactId => Gen.Frequency(
        (6, Gen.OneOf(SeedFactIds)),
        (3, Gen.OneOf(GeneratedFactIds)),
        (1, GeneratedText.Any(20)));

    private static Gen<JsonNode?> Operator => Gen.Frequency(
        (8, Gen.OneOf(Operators).Select(o => (JsonNode?)JsonValue.Create(o))),
        (1, Gen.OneOf("eq", "GTE", "equals", "", "Known ").Select(o => (JsonNode?)JsonValue.Create(o))),
        (1, Gen.Int[-2, 12].Select(i => (JsonNode?)JsonValue.Create(i))));

    private static Gen<JsonNode?> WhenUnknown => Gen.Frequency(
        (6, Gen.Const((JsonNode?)null)),
        (3, Gen.OneOf("True", "False", "Unknown").Select(w => (JsonNode?)JsonValue.Create(w))),
        (1, Gen.Frequency((1, Gen.Int[-1, 5].Select(i => (JsonNode?)JsonValue.Create(i))), (1, Gen.Const((JsonNode?)JsonValue.Create("Maybe"))))));

    private static Gen<JsonNode?> Comparison => Gen.Select(FactId, Operator, OrAbsent(AnyValue, 20), Gen.Frequency(
            (3, Gen.Const((JsonNode?)null)),
            (2, Gen.OneOf([.. Seed.Facts.SelectMany(f => f.Values), "stage-1", "stage-2", "nope"]).Array[0, 4].Select(values => (JsonNode?)new JsonArray([.. values.Select(v => (JsonNode?)JsonValue.Create(v))]))),
            (1, AnyValue)),
        WhenUnknown,
        (fact, op, value, values, whenUnknown) =>
        {
            var node = new JsonObject { ["fact"] = fact, ["op"] = Copy(op) };
            Put(node, "value", value);
            Put(node, "values", values);
            Put(node, "whenUnknown", whenUnknown);
            return (JsonNode?)node;
        });

    /// <summary>A condition tree up to four levels deep, and now and then something that is no condition at all.</summary>
    public static readonly Gen<JsonNode?> Condition = Gen.Recursive<JsonNode?>((depth, self) => depth >= 4
        ? Comparison
        : Gen.Frequency(
            (6, Comparison),
            (2, self.Array[0, 4].Select(children => (JsonNode?)new JsonObject { ["all"] = new JsonArray([.. children.Select(Copy)]) })),
            (2, self.Array[0, 4].Select(children => (JsonNode?)new JsonObject { ["any"] = new JsonArray([.. children.Select(Copy)]) })),
            (1, self.Select(child => (JsonNode?)new JsonObject { ["not"] = Copy(child) })),
            (1, Gen.Select(self, Comparison, (a, b) => (JsonNode?)new JsonObject { ["all"] = new JsonArray(Copy(a)), ["fact"] = Copy(b)!["fact"]!.DeepClone() })),
            (1, Gen.OneOf("{}", "null", "[]", "{\"all\":\"x\"}", "{\"fact\":3,\"op\":\"Eq\",\"value\":1}", "{\"unexpected\":true}").Select(Raw))));

    private static Gen<JsonNode?> Fact => Gen.Select(
        Gen.Frequency((5, Gen.OneOf(GeneratedFactIds)), (1, Gen.OneOf(SeedFactIds)), (1, GeneratedText.Any(20))),
        Gen.Frequency(
            (6, Gen.OneOf("Boolean", "Number", "Enum").Select(t => (JsonNode?)JsonValue.Create(t))),
            (1, Gen.Frequency((1, Gen.Int[-1, 6].Select(i => (JsonNode?)JsonValue.Create(i))), (1, Gen.Const((JsonNode?)JsonValue.Create("Text")))))),
        Gen.Frequency(
            (3, Gen.Const((JsonNode?)null)),
            (4, Gen.OneOf("stage-1", "stage-2", "stage-3", "stage-1", "").Array[0, 5].Select(v => (JsonNode?)new JsonArray([.. v.Select(x => (JsonNode?)JsonValue.Create(x))]))),
            (1, Gen.Int[60, 70].Select(n => (JsonNode?)new JsonArray([.. Enumerable.Range(0, n).Select(i => (JsonNode?)JsonValue.Create($"v{i}"))])))),
        Gen.Select(OrAbsent(Number, 60), OrAbsent(Number, 70), OrAbsent(Number, 60)),
        Gen.Frequency((6, Gen.Const("What is it?")), (1, Gen.Const((string?)null)), (1, GeneratedText.Any(60))),
        (id, type, values, bounds, question) =>
        {
            var node = new JsonObject { ["id"] = id, ["type"] = Copy(type) };
            Put(node, "values", values);
            Put(node, "minInclusive", bounds.Item1);
            Put(node, "minExclusive", bounds.Item2);
            Put(node, "maxInclusive", bounds.Item3);
            if (question is not null)
            {
                node["question"] = question;
            }
            return (JsonNode?)node;
        });

    private static Gen<JsonNode?> Dose => Gen.Select(Number, Gen.OneOf("patients <35 kg", "otherwise", ""), OrAbsent(Condition, 30), (dose, appliesWhen, when) =>
    {
        var node = new JsonObject { ["dose"] = Copy(dose), ["appliesWhen"] = appliesWhen };
        Put(node, "when", when);
        return (JsonNode?)node;
    });

    private static Gen<JsonNode?> Card => Gen.Select(
        Gen.Select(
            Gen.Frequency((4, Gen.OneOf("g-card-1", "g-card-2", "g-card-3", "avoid-rituximab")), (1, GeneratedText.Any(20))),
            Gen.Frequency((6, Gen.OneOf("Recommend", "Consider", "Avoid", "Monitor", "Assess")), (1, Gen.OneOf("recommend", "Prefer", "9"))).Select(k => k == "9" ? (JsonNode?)JsonValue.Create(9) : JsonValue.Create(k)),
            Gen.Frequency((6, Gen.OneOf("Info", "Warning", "Critical")), (1, Gen.OneOf("Fatal", "7"))).Select(s => s == "7" ? (JsonNode?)JsonValue.Create(7) : JsonValue.Create(s))),
        Gen.Frequency((5, Gen.Const("A generated card.")), (2, GeneratedText.Around(140, 300)), (1, GeneratedText.Any(100))),
        Gen.Frequency((6, Gen.OneOf(StatementIds).Array[1, 3]), (1, Gen.OneOf("no-such-statement", "").Array[0, 2])),
        Gen.Frequency((3, Gen.Const((string?)null)), (2, Gen.OneOf("alectinib", "crizotinib", "rituximab", "ALECTINIB"))),
        Gen.Frequency((3, Gen.Const((JsonNode?)null)), (1, Gen.Select(Gen.OneOf("alectinib", "", "crizotinib"), Dose.Array[0, 3],
            (drug, doses) => (JsonNode?)new JsonObject { ["drug"] = drug, ["unit"] = "mg", ["frequency"] = "twice daily", ["doses"] = new JsonArray([.. doses.Select(Copy)]) }))),
        Gen.Frequency((5, Gen.Int[0, 100].Select(i => (JsonNode?)JsonValue.Create(i))), (1, Gen.OneOf("1e10", "-1", "1.5", "\"first\"").Select(Raw))),
        (head, summary, statements, subject, therapy, order) =>
        {
            var node = new JsonObject
            {
                ["id"] = head.Item1,
                ["kind"] = Copy(head.Item2),
                ["severity"] = Copy(head.Item3),
                ["summary"] = summary,
                ["statements"] = new JsonArray([.. statements.Select(s => (JsonNode?)JsonValue.Create(s))]),
                ["order"] = Copy(order),
            };
            if (subject is not null)
            {
                node["subject"] = subject;
            }
            Put(node, "therapy", therapy);
            return (JsonNode?)node;
        });

    private static Gen<JsonNode?> Rule => Gen.Select(
        Gen.Frequency((5, Gen.OneOf("G-1", "G-2", "G-3", "R-RR-ALECTINIB")), (1, GeneratedText.Any(20))),
        Gen.Frequency((6, Gen.Const("A generated rule.")), (1, GeneratedText.Any(60))),
        OrAbsent(Condition, 15),
        Card,
        (id, description, when, card) =>
        {
            var node = new JsonObject { ["id"] = id, ["description"] = description, ["card"] = Copy(card) };
            Put(node, "when", when);
            return (JsonNode?)node;
        });

    /// <summary>
    /// The seed revision with its facts extended by generated ones (or replaced by them) and its rules replaced by generated
    /// ones; its scenarios are dropped, as they expect the seed's own cards.
    /// </summary>
    public static readonly Gen<GeneratedRules> Revision = Gen.Select(Fact.Array[0, 4], Gen.Bool, Rule.Array[0, 6], (facts, keepSeedFacts, rules) =>
        new GeneratedRules(new JsonArray([.. facts.Select(Copy)]).ToJsonString(), keepSeedFacts, new JsonArray([.. rules.Select(Copy)]).ToJsonString()));

    /// <summary><paramref name="gen"/>'s value, or (in <paramref name="percent"/>% of cases) no value at all.</summary>
    private static Gen<JsonNode?> OrAbsent(Gen<JsonNode?> gen, int percent) =>
        Gen.Frequency((percent, Gen.Const((JsonNode?)null)), (100 - percent, gen));

    private static void Put(JsonObject node, string name, JsonNode? value)
    {
        if (value is not null)
        {
            node[name] = Copy(value);
        }
    }

    /// <summary>A node may sit in one tree only: generated values are shared between cases, so each use takes a copy.</summary>
    private static JsonNode? Copy(JsonNode? node) => node?.DeepClone();
}
