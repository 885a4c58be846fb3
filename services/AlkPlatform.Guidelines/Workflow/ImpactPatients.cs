using System.Text.Json;

namespace AlkPlatform.Guidelines.Workflow;

/// <summary>
/// The broader patient table an impact preview runs besides the content's own scenarios: the Foundation situations
/// (frontline, relapsed/refractory with and without CNS disease, weight around the threshold and unknown, alectinib
/// unavailable, transplant, pneumonitis, CD20) plus weights on both sides of every plausible dose threshold.
/// </summary>
public static class ImpactPatients
{
    public static IReadOnlyList<ImpactPatient> Table { get; } = Build();

    private static List<ImpactPatient> Build()
    {
        var rr = new Dictionary<string, object>
        {
            ["line_of_therapy"] = "relapsed_refractory",
            ["cns_involvement"] = false,
            ["alectinib_available"] = true,
            ["allogeneic_transplant_eligible"] = false,
        };
        var patients = new List<ImpactPatient>
        {
            Patient("frontline-no-cns", "Frontline, 80 kg, no CNS disease, on no ALK inhibitor",
                new() { ["line_of_therapy"] = "frontline", ["weight_kg"] = 80, ["cns_involvement"] = false, ["current_alk_inhibitor"] = "none" }),
            Patient("frontline-cns", "Frontline with CNS disease, 70 kg",
                new() { ["line_of_therapy"] = "frontline", ["weight_kg"] = 70, ["cns_involvement"] = true }),
            Patient("frontline-cd20-positive", "Frontline, CD20 reported positive",
                new() { ["line_of_therapy"] = "frontline", ["weight_kg"] = 75, ["cns_involvement"] = false, ["cd20_status"] = "positive" }),
            Patient("rr-70kg-no-cns", "Relapsed/refractory, 70 kg, no CNS disease", With(rr, ("weight_kg", 70))),
            Patient("rr-70kg-cns", "Relapsed/refractory, 70 kg, CNS disease, alectinib available", With(rr, ("weight_kg", 70), ("cns_involvement", true))),
            Patient("rr-cns-alectinib-unavailable", "Relapsed/refractory, CNS disease, alectinib unavailable, crizotinib available",
                With(rr, ("weight_kg", 70), ("cns_involvement", true), ("alectinib_available", false), ("crizotinib_available", true))),
            Patient("rr-alectinib-unavailable", "Relapsed/refractory, no CNS disease, alectinib unavailable",
                With(rr, ("weight_kg", 70), ("alectinib_available", false), ("crizotinib_available", true))),
            Patient("rr-no-alk-inhibitor-available", "Relapsed/refractory, neither alectinib nor crizotinib available",
                With(rr, ("weight_kg", 70), ("alectinib_available", false), ("crizotinib_available", false))),
            Patient("rr-weight-unknown", "Relapsed/refractory, weight not given", rr),
            Patient("rr-cns-unknown", "Relapsed/refractory, CNS status not given",
                new() { ["line_of_therapy"] = "relapsed_refractory", ["weight_kg"] = 70, ["alectinib_available"] = true }),
            Patient("rr-transplant-chemosensitive", "Relapsed/refractory, transplant-eligible, chemosensitive disease",
                With(rr, ("weight_kg", 70), ("allogeneic_transplant_eligible", true), ("chemosensitive_disease", true))),
            Patient("rr-transplant-chemoresistant", "Relapsed/refractory, transplant-eligible, chemoresistant disease",
                With(rr, ("weight_kg", 70), ("allogeneic_transplant_eligible", true), ("chemosensitive_disease", false))),
            Patient("rr-pneumonitis-on-crizotinib", "On crizotinib with suspected pneumonitis",
                With(rr, ("weight_kg", 70), ("current_alk_inhibitor", "crizotinib"), ("suspected_pneumonitis", true))),
            Patient("rr-on-alectinib", "Relapsed/refractory, already on alectinib, 65 kg",
                With(rr, ("weight_kg", 65), ("current_alk_inhibitor", "alectinib"))),
            Patient("line-unknown", "Line of therapy not given, 70 kg", new() { ["weight_kg"] = 70 }),
            Patient("elderly-rr", "Relapsed/refractory, 82 years, 58 kg", With(rr, ("weight_kg", 58), ("age_years", 82))),
        };
        // Weights on both sides of every threshold a board might pick, so a moved threshold shows who it moves.
        foreach (var kg in new[] { 20, 25, 30, 33, 34, 34.9, 35, 36, 38, 40, 42, 45, 50, 55, 60, 100, 150 })
        {
            var label = kg.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture);
            patients.Add(Patient($"rr-weight-{label}kg", $"Relapsed/refractory, {label} kg, no CNS disease", With(rr, ("weight_kg", kg))));
        }
        return patients;
    }

    private static Dictionary<string, object> With(Dictionary<string, object> facts, params (string Fact, object Value)[] overrides)
    {
        var copy = new Dictionary<string, object>(facts, StringComparer.Ordinal);
        foreach (var (fact, value) in overrides)
        {
            copy[fact] = value;
        }
        return copy;
    }

    private static ImpactPatient Patient(string id, string description, Dictionary<string, object> facts) =>
        new(id, description, facts.ToDictionary(p => p.Key, p => JsonSerializer.SerializeToElement(p.Value), StringComparer.Ordinal));
}
