namespace AlkPlatform.Guidelines.Rules;

/// <summary>Kleene three-valued truth: a condition over an unknown fact is unknown, not false.</summary>
public enum Truth : byte
{
    False = 0,
    True = 1,
    Unknown = 2,
}
