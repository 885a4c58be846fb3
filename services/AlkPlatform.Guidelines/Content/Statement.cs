namespace AlkPlatform.Guidelines.Content;

public sealed record Statement
{
    public required string Id { get; init; }
    /// <summary>Clinician wording (Markdown), as the article gives it.</summary>
    public required string Text { get; init; }
    public IReadOnlyList<int> Citations { get; init; } = [];
    /// <summary>Optional wording per audience ("patient"); absent audiences read <see cref="Text"/>.</summary>
    public IReadOnlyDictionary<string, string> AudienceText { get; init; } = new Dictionary<string, string>();
    /// <summary>Optional words or phrases the board says this statement answers, besides its own text (matching questions only).</summary>
    public IReadOnlyList<string>? Keywords { get; init; }

    public string TextFor(string audience) =>
        AudienceText.TryGetValue(audience, out var text) && !string.IsNullOrWhiteSpace(text) ? text : Text;
}
