namespace AlkPlatform.Guidelines.Content;

public sealed record Section
{
    public required string Id { get; init; }
    public required string Title { get; init; }
    /// <summary>2 for a main heading, 3 for a sub-heading.</summary>
    public int Level { get; init; } = 2;
    public IReadOnlyList<Statement> Statements { get; init; } = [];
}
