namespace AlkPlatform.Guidelines.Diffs;

/// <summary>A run of text that is the same, new or gone; concatenating a diff's pieces of one side gives that side back.</summary>
public sealed record DiffPiece(DiffPieceKind Kind, string Text);
