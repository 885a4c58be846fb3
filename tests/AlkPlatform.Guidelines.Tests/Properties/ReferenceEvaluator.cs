using System.Text.Json;
using AlkPlatform.Guidelines.Content;
using AlkPlatform.Guidelines.Rules;

namespace AlkPlatform.Guidelines.Tests.Properties;

/// <summary>
/// The rules' three-valued semantics written the plain way, straight over the content's condition trees, as the oracle
/// for the compiled evaluator (which flattens, shares identical subtrees and memoises).
/// </summary>
internal sealed class ReferenceEvaluator(GuidelineContent content)
{
    private readonly Dictionary<string, int> _facts = content.Facts.Select((f, i) => (f.Id, i)).ToDictionary(p => p.Id, p => p.i, StringComparer.Ordinal);

    public bool? Holds(Condition? condition, double[] facts)
    {
        switch (condition)
        {
            case null:
                return true;
            case { All: { } all }:
                var allResults = all.Select(c => Holds(c, facts)).ToList();
                return allResults.Contains(false) ? false : allResults.Contains(null) ? null : true;
            case { Any: { } any }:
                var anyResults = any.Select(c => Holds(c, facts)).ToList();
                return anyResults.Contains(true) ? true : anyResults.Contains(null) ? null : false;
            case { Not: { } not }:
                return !Holds(not, facts);
        }
        var fact = content.Facts[_facts[condition.Fact!]];
        var value = facts[_facts[condition.Fact!]];
        if (double.IsNaN(value))
        {
            return condition.Op == ComparisonOperator.Known ? false : condition.WhenUnknown switch
            {
                UnknownOutcome.True => true,
                UnknownOutcome.False => false,
                _ => null,
            };
        }
        // "known" and "in" read no value; a stray one is ignored.
        var operand = condition.Op is ComparisonOperator.Known or ComparisonOperator.In ? 0 : Encode(fact, condition.Value!.Value);
        return condition.Op switch
        {
            ComparisonOperator.Known => true,
            ComparisonOperator.Eq => value == operand,
            ComparisonOperator.Ne => value != operand,
            ComparisonOperator.Lt => value < operand,
            ComparisonOperator.Lte => value <= operand,
            ComparisonOperator.Gt => value > operand,
            ComparisonOperator.Gte => value >= operand,
            ComparisonOperator.In => condition.Values!.Any(name => fact.Values[(int)value] == name),
            _ => throw new InvalidOperationException($"operator {condition.Op} passed validation"),
        };
    }

    /// <summary>The dose a fired rule gives: the first whose condition holds; unresolved as soon as one is undecided, or when none holds.</summary>
    public int Dose(RuleDefinition rule, double[] facts)
    {
        var doses = rule.Card.Therapy?.DoseOptions ?? [];
        if (doses.Count == 0)
        {
            return RuleHit.NoDose;
        }
        foreach (var (dose, index) in doses.Select((d, i) => (d, i)))
        {
            switch (Holds(dose.When, facts))
            {
                case true:
                    return index;
                case null:
                    return RuleHit.UnresolvedDose;
            }
        }
        return RuleHit.UnresolvedDose;
    }

    private static double Encode(FactDefinition fact, JsonElement value) => fact.Type switch
    {
        FactType.Boolean => value.GetBoolean() ? 1 : 0,
        FactType.Number => value.GetDouble(),
        _ => fact.Values.ToList().IndexOf(value.GetString()!),
    };
}
