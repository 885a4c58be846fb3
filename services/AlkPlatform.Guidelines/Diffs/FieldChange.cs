namespace AlkPlatform.Guidelines.Diffs;

/// <summary>A scalar field (title, version label, a reference's text…) before and after.</summary>
public sealed record FieldChange(string Field, string? Before, string? After);
