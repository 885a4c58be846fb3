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
    private readonly RuleHit[] _hits = hits;
    private readonly int[] _undecided = undecidedRules;

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
    /// undecided rules' cards, and doses that depend on an unknown fact. Ordered by the facts' declaration order.
    /// </summary>
    public IReadOnlyList<MissingFactInfo> MissingFacts()
    {
        var unresolvedDoses = 0;
        foreach (var hit in _hits)
        {
            if (hit.Dose == RuleHit.UnresolvedDose)
            {
                unresolvedDoses++;
            }
        }
        if (_undecided.Length == 0 && unresolvedDoses == 0)
        {
            return [];
        }
        // Indexed by fact position, so reading it in order gives the declaration order without sorting.
        var byFact = new MissingFactInfo?[Facts.Length];
        var count = 0;
        foreach (var rule in _undecided)
        {
            var summary = Guideline.Rule(rule).Card.Summary;
            foreach (var fact in Guideline.UndecidingFactsOf(rule))
            {
                if (double.IsNaN(Facts[fact]))
                {
                    count += Add(byFact, fact, rule, summary);
                }
            }
        }
        if (unresolvedDoses > 0)
        {
            foreach (var hit in _hits)
            {
                if (hit.Dose != RuleHit.UnresolvedDose)
                {
                    continue;
                }
                var affects = Guideline.DoseDependencyOf(hit.Rule)!;
                foreach (var fact in Guideline.DoseFactsOf(hit.Rule))
                {
                    if (double.IsNaN(Facts[fact]))
                    {
                        count += Add(byFact, fact, hit.Rule, affects);
                    }
                }
            }
        }
        var result = new MissingFactInfo[count];
        var i = 0;
        foreach (var info in byFact)
        {
            if (info is not null)
            {
                result[i++] = info;
            }
        }
        return result;
    }

    /// <summary>Returns 1 when this is the fact's first entry.</summary>
    private int Add(MissingFactInfo?[] byFact, int fact, int rule, string affects)
    {
        var added = 0;
        var info = byFact[fact];
        if (info is null)
        {
            var definition = Guideline.Facts[fact];
            info = new MissingFactInfo(definition.Id, definition.Question, [], []);
            byFact[fact] = info;
            added = 1;
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
        return added;
    }

    /// <summary>Which rules fired on which facts.</summary>
    public IReadOnlyList<RuleFiringInfo> Explain()
    {
        var result = new RuleFiringInfo[_hits.Length];
        for (var h = 0; h < _hits.Length; h++)
        {
            var rule = Guideline.Rule(_hits[h].Rule);
            var read = Guideline.FactsReadBy(_hits[h].Rule);
            var values = new (string Fact, string Value)[read.Length];
            for (var i = 0; i < read.Length; i++)
            {
                values[i] = (Guideline.Facts[read[i]].Id, Guideline.Describe(read[i], Facts[read[i]]));
            }
            result[h] = new RuleFiringInfo(rule.Id, rule.Description, values);
        }
        return result;
    }
}
