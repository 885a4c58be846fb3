namespace AlkPlatform.Guidelines.Diffs;

public enum ChangeKind
{
    Added,
    Removed,
    Modified,
}
