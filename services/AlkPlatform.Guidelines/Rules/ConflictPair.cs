namespace AlkPlatform.Guidelines.Rules;

/// <summary>An "avoid" rule and a "recommend"/"consider" rule about the same subject: if both fire, the guideline conflicts.</summary>
public readonly record struct ConflictPair(int AvoidRule, int AdviseRule, string Subject);
