using AlkPlatform.Contracts.Recommendation.V1;
using AlkPlatform.Guidelines.Content;
using AlkPlatform.Guidelines.Rules;
using AlkPlatform.Recommendations.Validation;
using Google.Rpc;

namespace AlkPlatform.Recommendations.Releases;

/// <summary>
/// Turns the typed request facts into the release's fact vector, validating each field on the way. Fact positions are
/// looked up once per release; a fact the release does not declare is simply not passed to it.
/// </summary>
public sealed class PatientFactsMap
{
    private readonly CompiledGuideline _guideline;
    private readonly int _line, _cns, _weight, _age, _alectinib, _crizotinib, _allo, _chemosensitive, _current, _pneumonitis, _cd20;

    public PatientFactsMap(CompiledGuideline guideline)
    {
        _guideline = guideline;
        _line = Index("line_of_therapy");
        _cns = Index("cns_involvement");
        _weight = Index("weight_kg");
        _age = Index("age_years");
        _alectinib = Index("alectinib_available");
        _crizotinib = Index("crizotinib_available");
        _allo = Index("allogeneic_transplant_eligible");
        _chemosensitive = Index("chemosensitive_disease");
        _current = Index("current_alk_inhibitor");
        _pneumonitis = Index("suspected_pneumonitis");
        _cd20 = Index("cd20_status");
    }

    private int Index(string fact) => _guideline.FactIndex.TryGetValue(fact, out var i) ? i : -1;

    /// <summary>Fills <paramref name="values"/> from the request; returns the violations (none when valid).</summary>
    public List<BadRequest.Types.FieldViolation>? Map(PatientFacts? facts, double[] values)
    {
        List<BadRequest.Types.FieldViolation>? violations = null;
        if (facts is null)
        {
            return null;
        }

        switch (facts.LineOfTherapy)
        {
            case LineOfTherapy.Frontline:
                SetEnum(values, _line, "frontline");
                break;
            case LineOfTherapy.RelapsedRefractory:
                SetEnum(values, _line, "relapsed_refractory");
                break;
            case LineOfTherapy.Unspecified:
                break;
            default:
                FieldViolations.Add(ref violations, "facts.line_of_therapy", $"unknown value {(int)facts.LineOfTherapy}");
                break;
        }

        SetTri(ref violations, values, _cns, facts.CnsInvolvement, "facts.cns_involvement");
        SetTri(ref violations, values, _alectinib, facts.AlectinibAvailable, "facts.alectinib_available");
        SetTri(ref violations, values, _crizotinib, facts.CrizotinibAvailable, "facts.crizotinib_available");
        SetTri(ref violations, values, _allo, facts.AllogeneicTransplantEligible, "facts.allogeneic_transplant_eligible");
        SetTri(ref violations, values, _chemosensitive, facts.ChemosensitiveDisease, "facts.chemosensitive_disease");
        SetTri(ref violations, values, _pneumonitis, facts.SuspectedPneumonitis, "facts.suspected_pneumonitis");

        if (facts.HasWeightKg)
        {
            SetNumber(ref violations, values, _weight, facts.WeightKg, "facts.weight_kg");
        }
        if (facts.HasAgeYears)
        {
            SetNumber(ref violations, values, _age, facts.AgeYears, "facts.age_years");
        }

        switch (facts.CurrentAlkInhibitor)
        {
            case AlkInhibitor.Unspecified:
                break;
            case AlkInhibitor.None:
                SetEnum(values, _current, "none");
                break;
            case AlkInhibitor.Alectinib:
                SetEnum(values, _current, "alectinib");
                break;
            case AlkInhibitor.Crizotinib:
                SetEnum(values, _current, "crizotinib");
                break;
            case AlkInhibitor.Ceritinib:
                SetEnum(values, _current, "ceritinib");
                break;
            case AlkInhibitor.Other:
                SetEnum(values, _current, "other");
                break;
            default:
                FieldViolations.Add(ref violations, "facts.current_alk_inhibitor", $"unknown value {(int)facts.CurrentAlkInhibitor}");
                break;
        }

        switch (facts.Cd20Status)
        {
            case Cd20Status.Unspecified or Cd20Status.Unknown:
                break;
            case Cd20Status.Negative:
                SetEnum(values, _cd20, "negative");
                break;
            case Cd20Status.Positive:
                SetEnum(values, _cd20, "positive");
                break;
            default:
                FieldViolations.Add(ref violations, "facts.cd20_status", $"unknown value {(int)facts.Cd20Status}");
                break;
        }

        // A patient cannot be taking a drug that is unavailable to them.
        if (facts.CurrentAlkInhibitor == AlkInhibitor.Alectinib && facts.AlectinibAvailable == TriState.No)
        {
            FieldViolations.Add(ref violations, "facts.alectinib_available", "contradicts facts.current_alk_inhibitor = ALK_INHIBITOR_ALECTINIB");
            FieldViolations.Add(ref violations, "facts.current_alk_inhibitor", "contradicts facts.alectinib_available = TRI_STATE_NO");
        }
        if (facts.CurrentAlkInhibitor == AlkInhibitor.Crizotinib && facts.CrizotinibAvailable == TriState.No)
        {
            FieldViolations.Add(ref violations, "facts.crizotinib_available", "contradicts facts.current_alk_inhibitor = ALK_INHIBITOR_CRIZOTINIB");
            FieldViolations.Add(ref violations, "facts.current_alk_inhibitor", "contradicts facts.crizotinib_available = TRI_STATE_NO");
        }
        return violations;
    }

    private void SetEnum(double[] values, int index, string value)
    {
        if (index >= 0)
        {
            values[index] = CompiledGuideline.EncodeEnum(_guideline.Facts[index], value);
        }
    }

    private static void SetTri(ref List<BadRequest.Types.FieldViolation>? violations, double[] values, int index, TriState value, string field)
    {
        switch (value)
        {
            case TriState.Yes when index >= 0:
                values[index] = 1;
                break;
            case TriState.No when index >= 0:
                values[index] = 0;
                break;
            case TriState.Yes or TriState.No or TriState.Unspecified or TriState.Unknown:
                break;
            default:
                FieldViolations.Add(ref violations, field, $"unknown value {(int)value}");
                break;
        }
    }

    private void SetNumber(ref List<BadRequest.Types.FieldViolation>? violations, double[] values, int index, double value, string field)
    {
        if (!double.IsFinite(value))
        {
            FieldViolations.Add(ref violations, field, "must be a finite number");
            return;
        }
        if (index < 0)
        {
            return;
        }
        var fact = _guideline.Facts[index];
        var unit = fact.Unit is null ? "" : " " + fact.Unit;
        if (fact.MinExclusive is { } gt && value <= gt)
        {
            FieldViolations.Add(ref violations, field, $"must be greater than {gt}{unit}; got {value}");
        }
        else if (fact.MinInclusive is { } ge && value < ge)
        {
            FieldViolations.Add(ref violations, field, $"must not be less than {ge}{unit}; got {value}");
        }
        else if (fact.MaxInclusive is { } le && value > le)
        {
            FieldViolations.Add(ref violations, field, $"is implausible: more than {le}{unit}; got {value}");
        }
        else
        {
            values[index] = value;
        }
    }
}
