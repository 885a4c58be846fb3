using AlkPlatform.Contracts.Recommendation.V1;

namespace AlkPlatform.Testing;

/// <summary>
/// The patients the test suites ask the recommendation service about, as a clinician's app asks. Each member returns a
/// fresh request, because tests change its facts.
/// </summary>
public static class ReferencePatients
{
    public const double ReferenceWeightKg = 70;

    /// <summary>
    /// The reference case: relapsed/refractory disease, no CNS involvement, 70 kg. The seed guideline answers alectinib
    /// 300 mg twice daily, with "avoid rituximab" first.
    /// </summary>
    public static RecommendRequest RelapsedRefractory70Kg => RelapsedRefractory();

    /// <summary>The reference case at another body weight (the alectinib dose turns on it), optionally with a correlation id.</summary>
    public static RecommendRequest RelapsedRefractory(double weightKg = ReferenceWeightKg, string correlationId = "") =>
        Clinician(LineOfTherapy.RelapsedRefractory, TriState.No, weightKg, correlationId);

    /// <summary>The reference case with CNS involvement.</summary>
    public static RecommendRequest RelapsedRefractoryWithCns(double weightKg = ReferenceWeightKg) =>
        Clinician(LineOfTherapy.RelapsedRefractory, TriState.Yes, weightKg, "");

    /// <summary>Frontline disease, no CNS involvement.</summary>
    public static RecommendRequest Frontline(double weightKg = ReferenceWeightKg) =>
        Clinician(LineOfTherapy.Frontline, TriState.No, weightKg, "");

    private static RecommendRequest Clinician(LineOfTherapy line, TriState cns, double weightKg, string correlationId) => new()
    {
        Audience = Audience.Clinician,
        CorrelationId = correlationId,
        Facts = new PatientFacts { LineOfTherapy = line, CnsInvolvement = cns, WeightKg = weightKg },
    };
}
