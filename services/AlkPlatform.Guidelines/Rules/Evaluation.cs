using AlkPlatform.Guidelines.Content;

namespace AlkPlatform.Guidelines.Rules;

/// <summary>The outcome of evaluating one patient: rules fired (in display order), conflicts, and undecided rules.</summary>
public sealed class Evaluation(
    CompiledGuideline guideline, double[] facts, RuleHit[] hits, ConflictPair[] conflicts, int[] undecidedRules)
{
    public CompiledGuideline Guideline { get; } = guideline;
    public IReadOnlyList<RuleHit> Hits { get; } = hits;
    public IReadOnlyList<ConflictPair> Conflicts { get; } = conflicts;
    /// <summary>Rules that could not be decided because a fact they need is unknown.</summary>
    public IReadOnlyList<int> UndecidedRules { get; } = undecidedRules;
    public double[] Facts { get; } = facts;

    /// <summary>Card ids in the order a caller sees them: conflicts first, then the fired rules' cards.</summary>
    public IEnumerable<string> CardIds()
    {
        foreach (var conflict in Conflicts)
        {
            yield return ConflictCards.Id(Guideline, conflict);
        }
        foreach (var hit in Hits)
        {
            yield return Guideline.Rule(hit.Rule).Card.Id;
        }
    }

    /// <summary>
    /// The facts the caller did not give that would change the answer, each with what depends on it:
    /// undecided rules' cards, and doses that depend on an unknown fact.
    /// </summary>
    public IReadOnlyList<MissingFactInfo> MissingFacts()
    {
        if (UndecidedRules.Count == 0 && !Hits.Any(h => h.Dose == RuleHit.UnresolvedDose))
        {
            return [];
        }
        var byFact = new SortedDictionary<int, MissingFactInfo>();
        foreach (var rule in UndecidedRules)
        {
            var card = Guideline.Rule(rule).Card;
            foreach (var fact in Guideline.UndecidingFactsOf(rule))
            {
                if (double.IsNaN(Facts[fact]))
                {
                    Add(byFact, fact, rule, card.Summary);
                }
            }
        }
        foreach (var hit in Hits.Where(h => h.Dose == RuleHit.UnresolvedDose))
        {
            var therapy = Guideline.Rule(hit.Rule).Card.Therapy!;
            var affects = $"Dose of {therapy.Drug}: " + string.Join("; ", therapy.Doses.Select(d => $"{d.Dose:0.###} {therapy.Unit} {therapy.Frequency} ({d.AppliesWhen})"));
            foreach (var fact in Guideline.DoseFactsOf(hit.Rule))
            {
                if (double.IsNaN(Facts[fact]))
                {
                    Add(byFact, fact, hit.Rule, affects);
                }
            }
        }
        return [.. byFact.Values];
    }

    private void Add(SortedDictionary<int, MissingFactInfo> byFact, int fact, int rule, string affects)
    {
        if (!byFact.TryGetValue(fact, out var info))
        {
            var definition = Guideline.Facts[fact];
            info = new MissingFactInfo(definition.Id, definition.Question, [], []);
            byFact[fact] = info;
        }
        if (!info.Affects.Contains(affects))
        {
            info.Affects.Add(affects);
        }
        var ruleId = Guideline.Rule(rule).Id;
        if (!info.RuleIds.Contains(ruleId))
        {
            info.RuleIds.Add(ruleId);
        }
    }

    /// <summary>Which rules fired on which facts.</summary>
    public IReadOnlyList<RuleFiringInfo> Explain() =>
        [.. Hits.Select(hit =>
        {
            var rule = Guideline.Rule(hit.Rule);
            var facts = new List<(string Fact, string Value)>();
            foreach (var f in Guideline.FactsReadBy(hit.Rule))
            {
                facts.Add((Guideline.Facts[f].Id, Guideline.Describe(f, Facts[f])));
            }
            return new RuleFiringInfo(rule.Id, rule.Description, facts);
        })];
}

public sealed record MissingFactInfo(string Fact, string Question, List<string> Affects, List<string> RuleIds);

public sealed record RuleFiringInfo(string RuleId, string Description, IReadOnlyList<(string Fact, string Value)> Facts);

/// <summary>The card shown when two rules of the guideline advise for and against the same subject for one patient.</summary>
public static class ConflictCards
{
    public const string IdPrefix = "conflict:";

    public static string Id(CompiledGuideline guideline, ConflictPair pair) =>
        $"{IdPrefix}{guideline.Rule(pair.AvoidRule).Card.Id}+{guideline.Rule(pair.AdviseRule).Card.Id}";

    public static string Summary(ConflictPair pair) =>
        $"Guideline conflict: {pair.Subject} is both advised and to be avoided for this patient. Decide with clinical judgement.";

    public static CardTemplate Template(CompiledGuideline guideline, ConflictPair pair)
    {
        var avoid = guideline.Rule(pair.AvoidRule).Card;
        var advise = guideline.Rule(pair.AdviseRule).Card;
        return new CardTemplate
        {
            Id = Id(guideline, pair),
            Kind = CardKind.Assess,
            Severity = CardSeverity.Critical,
            Summary = Summary(pair),
            Statements = [.. advise.Statements.Concat(avoid.Statements).Distinct()],
            Subject = pair.Subject,
        };
    }
}
