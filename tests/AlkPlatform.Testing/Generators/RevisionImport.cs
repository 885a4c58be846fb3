namespace AlkPlatform.Testing.Generators;

/// <summary>A generated revision file: the edits made to the seed (what a failing case prints) and the resulting JSON text.</summary>
public sealed record RevisionImport(IReadOnlyList<string> Edits, string Json)
{
    public override string ToString() => $"{string.Join("; ", Edits)} ({Json.Length} characters)";
}
