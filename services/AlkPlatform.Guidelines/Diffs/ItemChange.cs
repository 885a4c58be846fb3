namespace AlkPlatform.Guidelines.Diffs;

/// <summary>A reference, fact, rule, scenario or section added, removed or changed; <see cref="Lines"/> diffs its JSON line by line.</summary>
public sealed record ItemChange(string Id, ChangeKind Kind, IReadOnlyList<DiffPiece> Lines);
