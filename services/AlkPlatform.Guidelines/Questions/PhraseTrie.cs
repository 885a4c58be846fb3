namespace AlkPlatform.Guidelines.Questions;

/// <summary>
/// The lexicon's phrases (concept terms and generic words) by their token keys, for longest-match reading of a question
/// and for finding every phrase in a statement. The value is the concept id, or <see cref="Generic"/>.
/// </summary>
internal sealed class PhraseTrie
{
    public const string Generic = "";

    private readonly Dictionary<string, PhraseTrie> _next = new(StringComparer.Ordinal);
    private string? _value;

    /// <summary>Adds a phrase; the first phrase added under a key sequence keeps it (the content gate refuses duplicates).</summary>
    public void Add(IReadOnlyList<QuestionToken> phrase, string value)
    {
        if (phrase.Count == 0)
        {
            return;
        }
        var node = this;
        foreach (var token in phrase)
        {
            if (!node._next.TryGetValue(token.Key, out var next))
            {
                next = new PhraseTrie();
                node._next[token.Key] = next;
            }
            node = next;
        }
        node._value ??= value;
    }

    /// <summary>The longest phrase starting at <paramref name="start"/>: its value and length in tokens, or null.</summary>
    public string? Longest(IReadOnlyList<QuestionToken> tokens, int start, out int length)
    {
        length = 0;
        string? found = null;
        var node = this;
        for (var i = start; i < tokens.Count && node._next.TryGetValue(tokens[i].Key, out var next); i++)
        {
            node = next;
            if (node._value is { } value)
            {
                found = value;
                length = i - start + 1;
            }
        }
        return found;
    }

    /// <summary>The value of a one-token phrase with this key, or null.</summary>
    public string? Single(string key) => _next.TryGetValue(key, out var next) ? next._value : null;

    /// <summary>Every phrase found anywhere in <paramref name="tokens"/> (overlapping ones included).</summary>
    public IEnumerable<string> All(IReadOnlyList<QuestionToken> tokens)
    {
        for (var start = 0; start < tokens.Count; start++)
        {
            var node = this;
            for (var i = start; i < tokens.Count && node._next.TryGetValue(tokens[i].Key, out var next); i++)
            {
                node = next;
                if (node._value is { } value)
                {
                    yield return value;
                }
            }
        }
    }
}
