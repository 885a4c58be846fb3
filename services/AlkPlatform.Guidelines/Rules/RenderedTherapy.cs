using AlkPlatform.Guidelines.Content;

namespace AlkPlatform.Guidelines.Rules;

public sealed record RenderedTherapy(
    string Drug, bool DoseResolved, double Dose, string Unit, string Frequency, string Route,
    string WeightBasedAdjustment, IReadOnlyList<DoseOption> DoseOptions);
