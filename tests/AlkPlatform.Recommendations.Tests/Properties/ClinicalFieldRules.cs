using AlkPlatform.Contracts.Recommendation.V1;
using AlkPlatform.Guidelines.Content;
using AlkPlatform.Testing.Generators;

namespace AlkPlatform.Recommendations.Tests.Properties;

/// <summary>
/// The contract's rules for each request field, written from the proto comments and the seed's fact declarations (not
/// from the service's code): the fields a request breaks, which a refusal must name, no more and no fewer.
/// </summary>
internal static class ClinicalFieldRules
{
    private static readonly Dictionary<string, FactDefinition> SeedFacts = SeedGuideline.Load().Facts.ToDictionary(f => f.Id, StringComparer.Ordinal);

    /// <summary>Ids that reach the seed guideline: empty means the only one served.</summary>
    public static bool IsServed(string guidelineId) => guidelineId is "" or ClinicalRequests.ServedGuideline;

    public static SortedSet<string> Recommend(RecommendRequest request)
    {
        var broken = new SortedSet<string>(StringComparer.Ordinal);
        CheckAudience(broken, request.Audience);
        if (request.CorrelationId.Length > 128)
        {
            broken.Add("correlation_id");
        }
        if (request.Facts is not { } facts)
        {
            return broken;
        }
        Declared(broken, "facts.line_of_therapy", facts.LineOfTherapy);
        Declared(broken, "facts.cns_involvement", facts.CnsInvolvement);
        Declared(broken, "facts.alectinib_available", facts.AlectinibAvailable);
        Declared(broken, "facts.crizotinib_available", facts.CrizotinibAvailable);
        Declared(broken, "facts.allogeneic_transplant_eligible", facts.AllogeneicTransplantEligible);
        Declared(broken, "facts.chemosensitive_disease", facts.ChemosensitiveDisease);
        Declared(broken, "facts.current_alk_inhibitor", facts.CurrentAlkInhibitor);
        Declared(broken, "facts.suspected_pneumonitis", facts.SuspectedPneumonitis);
        Declared(broken, "facts.cd20_status", facts.Cd20Status);
        if (facts.HasWeightKg && !Plausible(SeedFacts["weight_kg"], facts.WeightKg))
        {
            broken.Add("facts.weight_kg");
        }
        if (facts.HasAgeYears && !Plausible(SeedFacts["age_years"], facts.AgeYears))
        {
            broken.Add("facts.age_years");
        }
        // A patient cannot be taking a drug that is unavailable to them.
        if ((facts.CurrentAlkInhibitor == AlkInhibitor.Alectinib && facts.AlectinibAvailable == TriState.No)
            || (facts.CurrentAlkInhibitor == AlkInhibitor.Crizotinib && facts.CrizotinibAvailable == TriState.No))
        {
            broken.Add("facts.current_alk_inhibitor");
            broken.Add(facts.CurrentAlkInhibitor == AlkInhibitor.Alectinib ? "facts.alectinib_available" : "facts.crizotinib_available");
        }
        return broken;
    }

    public static SortedSet<string> Ask(AskRequest request)
    {
        var broken = new SortedSet<string>(StringComparer.Ordinal);
        CheckAudience(broken, request.Audience);
        if (string.IsNullOrWhiteSpace(request.Question) || request.Question.Length > 1000)
        {
            broken.Add("question");
        }
        if (request.MaxResults is < 0 or > 10)
        {
            broken.Add("max_results");
        }
        return broken;
    }

    public static SortedSet<string> GetGuideline(GetGuidelineRequest request)
    {
        var broken = new SortedSet<string>(StringComparer.Ordinal);
        CheckAudience(broken, request.Audience);
        return broken;
    }

    public static SortedSet<string> SubmitFeedback(SubmitFeedbackRequest request)
    {
        var broken = new SortedSet<string>(StringComparer.Ordinal);
        if (!Guid.TryParse(request.EvaluationId, out _))
        {
            broken.Add("evaluation_id");
        }
        if (request.CardId.Length == 0)
        {
            broken.Add("card_id");
        }
        if (request.Outcome is not (FeedbackOutcome.Accepted or FeedbackOutcome.Overridden))
        {
            broken.Add("outcome");
        }
        // "Required when overridden; letters, digits, '-', '_', '.'; at most 64 characters."
        var reason = request.OverrideReasonCode;
        if ((request.Outcome == FeedbackOutcome.Overridden && reason.Length == 0)
            || reason.Length > 64
            || reason.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')))
        {
            broken.Add("override_reason_code");
        }
        if (request.Comment.Length > 1000)
        {
            broken.Add("comment");
        }
        return broken;
    }

    private static void CheckAudience(SortedSet<string> broken, Audience audience) => Declared(broken, "audience", audience);

    private static void Declared<T>(SortedSet<string> broken, string field, T value) where T : struct, Enum
    {
        if (!GeneratedValues.IsDeclared(value))
        {
            broken.Add(field);
        }
    }

    private static bool Plausible(FactDefinition fact, double value) =>
        double.IsFinite(value)
        && (fact.MinExclusive is not { } gt || value > gt)
        && (fact.MinInclusive is not { } ge || value >= ge)
        && (fact.MaxInclusive is not { } le || value <= le);
}
