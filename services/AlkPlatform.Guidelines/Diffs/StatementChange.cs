namespace AlkPlatform.Guidelines.Diffs;

/// <summary>A statement added, removed or changed: its wording word by word, plus citation/audience/section changes.</summary>
public sealed record StatementChange(
    string StatementId, string SectionId, ChangeKind Kind, IReadOnlyList<DiffPiece> Words, IReadOnlyList<FieldChange> Fields);
