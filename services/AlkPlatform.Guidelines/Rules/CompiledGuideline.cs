using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json;
using AlkPlatform.Guidelines.Content;

namespace AlkPlatform.Guidelines.Rules;

/// <summary>
/// A guideline revision compiled once: facts indexed, conditions flattened into arrays, rules pre-sorted in display order,
/// possible conflicts found ahead of time. Evaluation reads it and never changes it, so one instance serves all threads.
/// </summary>
public sealed partial class CompiledGuideline
{
    private readonly Node[] _nodes;
    private readonly int[] _children;
    private readonly CompiledRule[] _rules;
    private readonly int[] _displayOrder;
    private readonly ConflictPair[] _conflicts;
    private readonly string?[] _doseDependencies;

    public GuidelineContent Content { get; }
    public IReadOnlyList<FactDefinition> Facts { get; }
    public FrozenDictionary<string, int> FactIndex { get; }
    public FrozenDictionary<string, Statement> Statements { get; }
    public FrozenDictionary<int, Reference> References { get; }
    public FrozenDictionary<string, string> SectionTitleOfStatement { get; }
    public int RuleCount => _rules.Length;
    public RuleDefinition Rule(int index) => _rules[index].Definition;
    public IReadOnlyList<ConflictPair> Conflicts => _conflicts;

    private CompiledGuideline(GuidelineContent content, Builder builder)
    {
        Content = content;
        Facts = content.Facts;
        FactIndex = builder.FactIndex;
        _nodes = [.. builder.Nodes];
        _children = [.. builder.Children];
        _rules = [.. builder.Rules];
        _displayOrder = [.. Enumerable.Range(0, _rules.Length)
            .OrderByDescending(i => _rules[i].Definition.Card.Severity)
            .ThenBy(i => _rules[i].Definition.Card.Order)
            .ThenBy(i => i)];
        _conflicts = [.. FindConflicts(_rules)];
        _doseDependencies = [.. _rules.Select(r => DescribeDoseDependency(r.Definition))];
        Statements = content.AllStatements().ToFrozenDictionary(s => s.Id, StringComparer.Ordinal);
        References = content.References.ToFrozenDictionary(r => r.Number);
        SectionTitleOfStatement = content.Sections
            .SelectMany(section => section.Statements.Select(st => (st.Id, section.Title)))
            .ToFrozenDictionary(p => p.Id, p => p.Title, StringComparer.Ordinal);
    }

    /// <summary>Validates and compiles; invalid content throws <see cref="GuidelineValidationException"/> listing every problem.</summary>
    public static CompiledGuideline Compile(GuidelineContent content)
    {
        GuidelineValidator.ThrowIfInvalid(content);
        var builder = new Builder(content.Facts);
        foreach (var rule in content.Rules)
        {
            builder.AddRule(rule);
        }
        return new CompiledGuideline(content, builder);
    }

    /// <summary>A fresh fact vector with every fact unknown.</summary>
    public double[] NewFactVector()
    {
        var values = new double[Facts.Count];
        Array.Fill(values, double.NaN);
        return values;
    }

    /// <summary>Encodes a scenario's or a caller's JSON value for a fact (enum → ordinal, bool → 1/0).</summary>
    public double Encode(string factId, JsonElement value)
    {
        var fact = Facts[FactIndex[factId]];
        return fact.Type switch
        {
            FactType.Boolean => value.GetBoolean() ? 1 : 0,
            FactType.Number => value.GetDouble(),
            _ => EncodeEnum(fact, value.GetString()!),
        };
    }

    public static double EncodeEnum(FactDefinition fact, string value)
    {
        for (var i = 0; i < fact.Values.Count; i++)
        {
            if (string.Equals(fact.Values[i], value, StringComparison.Ordinal))
            {
                return i;
            }
        }
        throw new ArgumentException($"'{value}' is not a value of '{fact.Id}'", nameof(value));
    }

    /// <summary>The fact's value as the guideline names it: "relapsed_refractory", "70", "true", or "unknown".</summary>
    public string Describe(int factIndex, double value)
    {
        if (double.IsNaN(value))
        {
            return "unknown";
        }
        var fact = Facts[factIndex];
        return fact.Type switch
        {
            FactType.Boolean => value != 0 ? "true" : "false",
            FactType.Number => value.ToString("0.###", CultureInfo.InvariantCulture),
            _ => fact.Values[(int)value],
        };
    }

    /// <summary>Evaluates every rule for one patient. Pure: reads only the facts and this compiled guideline.</summary>
    public Evaluation Evaluate(double[] facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        if (facts.Length != Facts.Count)
        {
            throw new ArgumentException($"expected {Facts.Count} fact values, got {facts.Length}", nameof(facts));
        }

        Span<Truth> outcomes = _rules.Length <= 256 ? stackalloc Truth[_rules.Length] : new Truth[_rules.Length];
        // Identical subtrees share one node (see Builder), so each is evaluated once per patient: 0 = not yet, else truth + 1.
        Span<byte> memo = _nodes.Length <= 1024 ? stackalloc byte[_nodes.Length] : new byte[_nodes.Length];
        memo.Clear();
        var firedCount = 0;
        var undecidedCount = 0;
        for (var r = 0; r < _rules.Length; r++)
        {
            var root = _rules[r].Root;
            var outcome = root < 0 ? Truth.True : Eval(root, facts, memo);
            outcomes[r] = outcome;
            if (outcome == Truth.True)
            {
                firedCount++;
            }
            else if (outcome == Truth.Unknown)
            {
                undecidedCount++;
            }
        }

        var conflictCount = 0;
        foreach (var pair in _conflicts)
        {
            if (outcomes[pair.AvoidRule] == Truth.True && outcomes[pair.AdviseRule] == Truth.True)
            {
                conflictCount++;
            }
        }

        var conflicts = conflictCount == 0 ? [] : new ConflictPair[conflictCount];
        if (conflictCount > 0)
        {
            var c = 0;
            foreach (var pair in _conflicts)
            {
                if (outcomes[pair.AvoidRule] == Truth.True && outcomes[pair.AdviseRule] == Truth.True)
                {
                    conflicts[c++] = pair;
                }
            }
        }

        var hits = new RuleHit[firedCount];
        var undecided = undecidedCount == 0 ? [] : new int[undecidedCount];
        int h = 0, u = 0;
        foreach (var r in _displayOrder)
        {
            if (outcomes[r] == Truth.True)
            {
                hits[h++] = new RuleHit(r, SelectDose(_rules[r], facts, memo));
            }
            else if (outcomes[r] == Truth.Unknown)
            {
                undecided[u++] = r;
            }
        }
        return new Evaluation(this, facts, hits, conflicts, undecided);
    }

    /// <summary>Index of the dose that applies; <see cref="RuleHit.NoDose"/> without doses, <see cref="RuleHit.UnresolvedDose"/> when a fact is missing.</summary>
    private int SelectDose(in CompiledRule rule, double[] facts, Span<byte> memo)
    {
        if (rule.DoseRoots.Length == 0)
        {
            return RuleHit.NoDose;
        }
        for (var d = 0; d < rule.DoseRoots.Length; d++)
        {
            var root = rule.DoseRoots[d];
            var truth = root < 0 ? Truth.True : Eval(root, facts, memo);
            if (truth == Truth.True)
            {
                return d;
            }
            if (truth == Truth.Unknown)
            {
                return RuleHit.UnresolvedDose;
            }
        }
        return RuleHit.UnresolvedDose;
    }

    private Truth Eval(int index, double[] facts, Span<byte> memo)
    {
        if (memo[index] != 0)
        {
            return (Truth)(memo[index] - 1);
        }
        var truth = EvalNode(index, facts, memo);
        memo[index] = (byte)(truth + 1);
        return truth;
    }

    private Truth EvalNode(int index, double[] facts, Span<byte> memo)
    {
        ref readonly var node = ref _nodes[index];
        switch (node.Kind)
        {
            case NodeKind.All:
            {
                var result = Truth.True;
                for (var i = 0; i < node.Count; i++)
                {
                    var t = Eval(_children[node.First + i], facts, memo);
                    if (t == Truth.False)
                    {
                        return Truth.False;
                    }
                    if (t == Truth.Unknown)
                    {
                        result = Truth.Unknown;
                    }
                }
                return result;
            }
            case NodeKind.Any:
            {
                var result = Truth.False;
                for (var i = 0; i < node.Count; i++)
                {
                    var t = Eval(_children[node.First + i], facts, memo);
                    if (t == Truth.True)
                    {
                        return Truth.True;
                    }
                    if (t == Truth.Unknown)
                    {
                        result = Truth.Unknown;
                    }
                }
                return result;
            }
            case NodeKind.Not:
                return Eval(_children[node.First], facts, memo) switch
                {
                    Truth.True => Truth.False,
                    Truth.False => Truth.True,
                    _ => Truth.Unknown,
                };
            default:
                return Compare(node, facts[node.Fact]);
        }
    }

    private static Truth Compare(in Node node, double value)
    {
        if (double.IsNaN(value))
        {
            return node.Op == ComparisonOperator.Known ? Truth.False : node.WhenUnknown;
        }
        var holds = node.Op switch
        {
            ComparisonOperator.Known => true,
            ComparisonOperator.Eq => value == node.Value,
            ComparisonOperator.Ne => value != node.Value,
            ComparisonOperator.Lt => value < node.Value,
            ComparisonOperator.Lte => value <= node.Value,
            ComparisonOperator.Gt => value > node.Value,
            ComparisonOperator.Gte => value >= node.Value,
            ComparisonOperator.In => ((node.Mask >> (int)value) & 1UL) != 0,
            _ => false,
        };
        return holds ? Truth.True : Truth.False;
    }

    /// <summary>Facts whose being unknown can leave this rule undecided (comparisons that don't decide unknowns themselves).</summary>
    public ReadOnlySpan<int> UndecidingFactsOf(int rule) => _rules[rule].UndecidingFacts;

    /// <summary>Facts whose being unknown can leave this rule's dose unresolved.</summary>
    public ReadOnlySpan<int> DoseFactsOf(int rule) => _rules[rule].DoseFacts;

    /// <summary>Every fact a rule reads (condition and doses), in declaration order: the explanation of a firing.</summary>
    public ReadOnlySpan<int> FactsReadBy(int rule) => _rules[rule].FactsRead;

    /// <summary>What an unknown dose fact of this rule affects, in the guideline's words; built once at compile time.</summary>
    public string? DoseDependencyOf(int rule) => _doseDependencies[rule];

    private static string? DescribeDoseDependency(RuleDefinition rule)
    {
        if (rule.Card.Therapy is not { } therapy)
        {
            return null;
        }
        return $"Dose of {therapy.Drug}: " + string.Join("; ", therapy.DoseOptions.Select(d => $"{d.Dose:0.###} {therapy.Unit} {therapy.Frequency} ({d.AppliesWhen})"));
    }

    private static IEnumerable<ConflictPair> FindConflicts(CompiledRule[] rules)
    {
        for (var a = 0; a < rules.Length; a++)
        {
            var avoid = rules[a].Definition.Card;
            if (avoid.Kind != CardKind.Avoid || string.IsNullOrEmpty(avoid.Subject))
            {
                continue;
            }
            for (var b = 0; b < rules.Length; b++)
            {
                var advise = rules[b].Definition.Card;
                if (advise.Kind is CardKind.Recommend or CardKind.Consider
                    && string.Equals(advise.Subject, avoid.Subject, StringComparison.OrdinalIgnoreCase))
                {
                    yield return new ConflictPair(a, b, avoid.Subject);
                }
            }
        }
    }

    private enum NodeKind : byte
    {
        All,
        Any,
        Not,
        Compare,
    }

    private readonly record struct Node(
        NodeKind Kind, int Fact, ComparisonOperator Op, double Value, ulong Mask, Truth WhenUnknown, int First, int Count);

    private readonly record struct CompiledRule(
        RuleDefinition Definition, int Root, int[] DoseRoots, int[] UndecidingFacts, int[] DoseFacts, int[] FactsRead);

    private sealed class Builder
    {
        private readonly IReadOnlyList<FactDefinition> _facts;
        public FrozenDictionary<string, int> FactIndex { get; }
        public List<Node> Nodes { get; } = [];
        public List<int> Children { get; } = [];
        public List<CompiledRule> Rules { get; } = [];
        private readonly Dictionary<string, int> _shared = new(StringComparer.Ordinal);

        public Builder(IReadOnlyList<FactDefinition> facts)
        {
            _facts = facts;
            FactIndex = facts.Select((f, i) => (f.Id, i)).ToFrozenDictionary(p => p.Id, p => p.i, StringComparer.Ordinal);
        }

        public void AddRule(RuleDefinition rule)
        {
            var undeciding = new SortedSet<int>();
            var read = new SortedSet<int>();
            var root = rule.When is null ? -1 : Add(rule.When, undeciding, read);
            var doses = rule.Card.Therapy?.DoseOptions ?? [];
            var doseFacts = new SortedSet<int>();
            var doseRoots = new int[doses.Count];
            for (var d = 0; d < doses.Count; d++)
            {
                doseRoots[d] = doses[d].When is { } when ? Add(when, doseFacts, read) : -1;
            }
            Rules.Add(new CompiledRule(rule, root, doseRoots, [.. undeciding], [.. doseFacts], [.. read]));
        }

        private int Add(Condition condition, SortedSet<int> undeciding, SortedSet<int> read)
        {
            var list = condition.All ?? condition.Any;
            if (list is not null)
            {
                var childIndexes = list.Select(c => Add(c, undeciding, read)).ToArray();
                var kind = condition.All is not null ? NodeKind.All : NodeKind.Any;
                var key = $"{kind}({string.Join(',', childIndexes)})";
                if (_shared.TryGetValue(key, out var existing))
                {
                    return existing;
                }
                var first = Children.Count;
                Children.AddRange(childIndexes);
                Nodes.Add(new Node(kind, -1, default, 0, 0, Truth.Unknown, first, childIndexes.Length));
                return _shared[key] = Nodes.Count - 1;
            }
            if (condition.Not is { } not)
            {
                var child = Add(not, undeciding, read);
                var key = $"Not({child})";
                if (_shared.TryGetValue(key, out var existing))
                {
                    return existing;
                }
                Children.Add(child);
                Nodes.Add(new Node(NodeKind.Not, -1, default, 0, 0, Truth.Unknown, Children.Count - 1, 1));
                return _shared[key] = Nodes.Count - 1;
            }

            var factIndex = FactIndex[condition.Fact!];
            var fact = _facts[factIndex];
            var op = condition.Op!.Value;
            var value = 0d;
            var mask = 0UL;
            if (op == ComparisonOperator.In)
            {
                foreach (var v in condition.Values!)
                {
                    mask |= 1UL << (int)EncodeEnum(fact, v);
                }
            }
            else if (op != ComparisonOperator.Known)
            {
                var element = condition.Value!.Value;
                value = fact.Type switch
                {
                    FactType.Boolean => element.GetBoolean() ? 1 : 0,
                    FactType.Number => element.GetDouble(),
                    _ => EncodeEnum(fact, element.GetString()!),
                };
            }
            var whenUnknown = condition.WhenUnknown switch
            {
                UnknownOutcome.True => Truth.True,
                UnknownOutcome.False => Truth.False,
                _ => Truth.Unknown,
            };
            read.Add(factIndex);
            if (whenUnknown == Truth.Unknown && op != ComparisonOperator.Known)
            {
                undeciding.Add(factIndex);
            }
            var compareKey = string.Create(CultureInfo.InvariantCulture, $"Compare({factIndex},{op},{value:R},{mask},{whenUnknown})");
            if (_shared.TryGetValue(compareKey, out var same))
            {
                return same;
            }
            Nodes.Add(new Node(NodeKind.Compare, factIndex, op, value, mask, whenUnknown, 0, 0));
            return _shared[compareKey] = Nodes.Count - 1;
        }
    }
}
