using AlkPlatform.Guidelines.Content;

namespace AlkPlatform.Guidelines.Questions;

/// <summary>
/// Reads a follow-up question against one revision's approved content: lexicon phrases by longest match, generic words
/// dropped, numbers ignored, every other word checked against what the content knows (its statements, section titles,
/// keywords and one-word lexicon terms). Built once per revision; pure and thread-safe after that.
/// </summary>
public sealed class QuestionAnalyzer
{
    private readonly PhraseTrie _phrases = new();
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Concept> _concepts = new(StringComparer.Ordinal);

    internal IReadOnlyList<StatementProfile> Profiles { get; }

    /// <summary>The lexicon's subject concept id, or null.</summary>
    internal string? Subject { get; }

    public QuestionAnalyzer(GuidelineContent content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var lexicon = content.Lexicon ?? new Lexicon();
        foreach (var concept in lexicon.Concepts)
        {
            if (string.IsNullOrWhiteSpace(concept.Id) || !_concepts.TryAdd(concept.Id, concept))
            {
                continue;
            }
            foreach (var term in concept.Terms)
            {
                var tokens = QuestionTokenizer.Tokenize(term);
                _phrases.Add(tokens, concept.Id);
                // Only the term as a whole: the parts of "r/r" must not make the "r" of "R-CHOP" known.
                if (tokens.Count == 1)
                {
                    _known.Add(tokens[0].Key);
                }
            }
        }
        foreach (var generic in lexicon.GenericWords)
        {
            _phrases.Add(QuestionTokenizer.Tokenize(generic), PhraseTrie.Generic);
        }
        Subject = lexicon.Subject is { } subject && _concepts.TryGetValue(subject, out var s) && s.Qualifier ? subject : null;

        var profiles = new List<StatementProfile>();
        foreach (var section in content.Sections)
        {
            var title = QuestionTokenizer.Tokenize(section.Title);
            AddKnown(title);
            foreach (var statement in section.Statements)
            {
                var text = QuestionTokenizer.Tokenize(statement.Text);
                var context = new List<QuestionToken>(title);
                AddKnown(text);
                var contextConcepts = Concepts(title);
                foreach (var keyword in statement.Keywords ?? [])
                {
                    var tokens = QuestionTokenizer.Tokenize(keyword);
                    AddKnown(tokens);
                    context.AddRange(tokens);
                    contextConcepts.UnionWith(Concepts(tokens));
                }
                var textConcepts = Concepts(text);
                profiles.Add(new StatementProfile(
                    statement.Id,
                    Keys(text),
                    Keys(context),
                    textConcepts,
                    contextConcepts,
                    textConcepts.Where(id => _concepts[id].Qualifier).ToHashSet(StringComparer.Ordinal)));
            }
        }
        Profiles = profiles;
    }

    public QuestionAnalysis Analyze(string question)
    {
        ArgumentNullException.ThrowIfNull(question);
        var tokens = QuestionTokenizer.Tokenize(question);
        var concepts = new List<QuestionConcept>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var unknown = new List<string>();
        var run = (Start: -1, End: -1);

        void Flush()
        {
            if (run.Start >= 0)
            {
                var term = question[run.Start..run.End];
                if (!unknown.Contains(term, StringComparer.OrdinalIgnoreCase))
                {
                    unknown.Add(term);
                }
                run = (-1, -1);
            }
        }

        void AddConcept(QuestionConcept concept)
        {
            if (seen.Add(concept.Key))
            {
                concepts.Add(concept);
            }
        }

        for (var i = 0; i < tokens.Count;)
        {
            if (_phrases.Longest(tokens, i, out var length) is { } phrase)
            {
                Flush();
                if (phrase != PhraseTrie.Generic)
                {
                    var label = question[tokens[i].Start..(tokens[i + length - 1].Start + tokens[i + length - 1].Length)];
                    AddConcept(ConceptFor(phrase, label));
                }
                i += length;
                continue;
            }
            var token = tokens[i];
            i++;
            if (token.IsNumber)
            {
                Flush();
                continue;
            }
            if (_known.Contains(token.Key))
            {
                Flush();
                AddConcept(new QuestionConcept("word:" + token.Key, token.Surface, null, false));
                continue;
            }
            if (token.IsCompound && PartsOf(token) is { } parts)
            {
                Flush();
                foreach (var part in parts)
                {
                    AddConcept(part);
                }
                continue;
            }
            // Adjacent unknown words are named together, as typed ("breathing problems", "CAR-T").
            run = run.Start < 0 ? (token.Start, token.Start + token.Length) : (run.Start, token.Start + token.Length);
        }
        Flush();
        return new QuestionAnalysis(concepts, unknown);
    }

    /// <summary>Whether the concept is a qualifier (population or disease).</summary>
    internal bool IsQualifier(string conceptId) => _concepts.TryGetValue(conceptId, out var c) && c.Qualifier;

    /// <summary>The concepts of a compound whose every part the content knows (numbers and generic parts dropped), else null.</summary>
    private List<QuestionConcept>? PartsOf(QuestionToken token)
    {
        var result = new List<QuestionConcept>();
        var surfaces = token.Surface.TrimEnd('+').Split('-', '/');
        for (var p = 0; p < token.Parts.Count; p++)
        {
            var part = token.Parts[p];
            var surface = p < surfaces.Length ? surfaces[p] : part;
            if (part.Length == 0 || part.All(c => char.IsAsciiDigit(c) || c is '.' or ','))
            {
                continue;
            }
            switch (_phrases.Single(part))
            {
                case PhraseTrie.Generic:
                    continue;
                case { } conceptId:
                    result.Add(ConceptFor(conceptId, surface));
                    continue;
            }
            if (!_known.Contains(part))
            {
                return null;
            }
            result.Add(new QuestionConcept("word:" + part, surface, null, false));
        }
        return result;
    }

    private QuestionConcept ConceptFor(string conceptId, string label) =>
        new("concept:" + conceptId, label, conceptId, _concepts[conceptId].Qualifier);

    private HashSet<string> Concepts(IReadOnlyList<QuestionToken> tokens) =>
        _phrases.All(tokens).Where(v => v != PhraseTrie.Generic).ToHashSet(StringComparer.Ordinal);

    private static HashSet<string> Keys(IEnumerable<QuestionToken> tokens)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var token in tokens)
        {
            keys.Add("word:" + token.Key);
            foreach (var part in token.Parts)
            {
                keys.Add("word:" + part);
            }
        }
        return keys;
    }

    private void AddKnown(IEnumerable<QuestionToken> tokens)
    {
        foreach (var token in tokens)
        {
            _known.Add(token.Key);
            foreach (var part in token.Parts)
            {
                _known.Add(part);
            }
        }
    }
}
