using AlkPlatform.Guidelines.Content;

namespace AlkPlatform.Guidelines.Rules;

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
