namespace AlkPlatform.Guidelines.Diffs;

public enum DiffPieceKind
{
    Unchanged,
    Inserted,
    Deleted,
}
