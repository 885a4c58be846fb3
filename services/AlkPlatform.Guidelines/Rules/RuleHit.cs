namespace AlkPlatform.Guidelines.Rules;

/// <summary>A rule that fired and the dose it selected (an index into its therapy's doses, or a marker).</summary>
public readonly record struct RuleHit(int Rule, int Dose)
{
    public const int NoDose = -1;
    public const int UnresolvedDose = -2;
}
