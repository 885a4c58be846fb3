namespace AlkPlatform.Testing.Generators;

public enum FormEditKind
{
    Set,
    Remove,
    Duplicate,
    Add,
}
