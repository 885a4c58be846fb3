using AlkPlatform.Contracts.Recommendation.V1;
using AlkPlatform.Guidelines.Rules;
using DomainKind = AlkPlatform.Guidelines.Content.CardKind;
using DomainSeverity = AlkPlatform.Guidelines.Content.CardSeverity;

namespace AlkPlatform.Recommendations.Releases;

/// <summary>Maps rendered domain cards to the wire contract.</summary>
public static class CardMapping
{
    public static Card ToProto(RenderedCard card)
    {
        var proto = new Card
        {
            Id = card.Id,
            Kind = card.Kind switch
            {
                DomainKind.Recommend => CardKind.Recommend,
                DomainKind.Consider => CardKind.Consider,
                DomainKind.Avoid => CardKind.Avoid,
                DomainKind.Monitor => CardKind.Monitor,
                _ => CardKind.Assess,
            },
            Severity = card.Severity switch
            {
                DomainSeverity.Critical => Severity.Critical,
                DomainSeverity.Warning => Severity.Warning,
                _ => Severity.Info,
            },
            Summary = card.Summary,
            DetailMarkdown = card.DetailMarkdown,
            EvidencePopulation = card.EvidencePopulation,
        };
        proto.Citations.AddRange(card.Citations.Select(r => new Citation { Number = r.Number, Text = r.Text }));
        proto.StatementIds.AddRange(card.StatementIds);
        proto.RuleIds.AddRange(card.RuleIds);
        if (card.Therapy is { } t)
        {
            proto.Therapy = new Therapy
            {
                Drug = t.Drug,
                DoseResolved = t.DoseResolved,
                Dose = t.Dose,
                Unit = t.Unit,
                Frequency = t.Frequency,
                Route = t.Route,
                WeightBasedAdjustment = t.WeightBasedAdjustment,
            };
            proto.Therapy.DoseOptions.AddRange(t.DoseOptions.Select(d => new DoseOption { Dose = d.Dose, Unit = t.Unit, AppliesWhen = d.AppliesWhen }));
        }
        return proto;
    }
}
