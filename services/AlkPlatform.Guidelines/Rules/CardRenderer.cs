using System.Globalization;
using System.Text;
using AlkPlatform.Guidelines.Content;

namespace AlkPlatform.Guidelines.Rules;

/// <summary>
/// Renders a card for an audience from its template and statements. Output depends only on (release, card, dose, audience),
/// so callers render each combination once per release and reuse it.
/// </summary>
public static class CardRenderer
{
    public static RenderedCard Render(CompiledGuideline guideline, RuleHit hit, string audience)
    {
        var rule = guideline.Rule(hit.Rule);
        return Render(guideline, rule.Card, [rule.Id], hit.Dose, audience);
    }

    public static RenderedCard RenderConflict(CompiledGuideline guideline, ConflictPair pair, string audience)
    {
        var template = ConflictCards.Template(guideline, pair);
        var avoid = guideline.Rule(pair.AvoidRule);
        var advise = guideline.Rule(pair.AdviseRule);
        var card = Render(guideline, template, [advise.Id, avoid.Id], RuleHit.NoDose, audience);
        var detail = new StringBuilder()
            .Append("**").Append(template.Summary).AppendLine("**").AppendLine()
            .Append("The approved guideline gives two statements that disagree for this patient. ")
            .AppendLine("Neither is chosen for you; weigh both with the treating team.").AppendLine()
            .Append("- **").Append(advise.Card.Summary).Append("** (rule `").Append(advise.Id).AppendLine("`)")
            .Append("- **").Append(avoid.Card.Summary).Append("** (rule `").Append(avoid.Id).AppendLine("`)")
            .AppendLine();
        AppendStatements(detail, guideline, template.Statements, audience);
        return card with { DetailMarkdown = detail.ToString().TrimEnd() };
    }

    private static RenderedCard Render(
        CompiledGuideline guideline, CardTemplate card, IReadOnlyList<string> ruleIds, int dose, string audience)
    {
        var detail = new StringBuilder();
        detail.Append("**").Append(card.Summary).AppendLine("**").AppendLine();
        AppendStatements(detail, guideline, card.Statements, audience);

        RenderedTherapy? therapy = null;
        if (card.Therapy is { } t)
        {
            var resolved = dose >= 0;
            var amount = resolved ? t.DoseOptions[dose].Dose : 0;
            therapy = new RenderedTherapy(t.Drug, resolved, amount, t.Unit, t.Frequency, t.Route,
                t.WeightBasedAdjustment ?? "", t.DoseOptions);
            if (resolved)
            {
                detail.AppendLine().Append("**Dose:** ").Append(t.Drug).Append(' ')
                    .Append(Format(amount)).Append(' ').Append(t.Unit).Append(' ').Append(t.Route).Append(' ').Append(t.Frequency)
                    .Append(" (").Append(t.DoseOptions[dose].AppliesWhen).AppendLine(").");
            }
            else if (dose == RuleHit.UnresolvedDose)
            {
                detail.AppendLine().AppendLine("**Dose depends on a fact that was not given:**");
                foreach (var option in t.DoseOptions)
                {
                    detail.Append("- ").Append(Format(option.Dose)).Append(' ').Append(t.Unit).Append(' ')
                        .Append(t.Route).Append(' ').Append(t.Frequency).Append(" for ").AppendLine(option.AppliesWhen);
                }
            }
        }
        if (!string.IsNullOrEmpty(card.EvidencePopulation))
        {
            detail.AppendLine().Append("*Evidence population:* ").AppendLine(card.EvidencePopulation);
        }

        var citations = card.Statements
            .SelectMany(id => guideline.Statements[id].Citations)
            .Distinct()
            .Order()
            .Select(n => guideline.References[n])
            .ToArray();
        return new RenderedCard(card.Id, card.Kind, card.Severity, card.Summary, detail.ToString().TrimEnd(), therapy,
            citations, card.Statements, ruleIds, card.EvidencePopulation ?? "");
    }

    private static void AppendStatements(StringBuilder detail, CompiledGuideline guideline, IEnumerable<string> ids, string audience)
    {
        foreach (var id in ids)
        {
            var statement = guideline.Statements[id];
            detail.Append("- ").Append(statement.TextFor(audience))
                .Append(" [").Append(string.Join(", ", statement.Citations)).AppendLine("]");
        }
    }

    private static string Format(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
