using System.Text.RegularExpressions;
using AlkPlatform.Guidelines.Content;

namespace AlkPlatform.Guidelines.Questions;

/// <summary>
/// The lexicon's content gate: concept ids unique, every term readable, no phrase in two concepts or both a term and a
/// generic word, every concept matched by at least one statement (a qualifier by a statement's own text), the subject a
/// qualifier, and no blank keyword.
/// </summary>
public static partial class LexiconCheck
{
    public static IReadOnlyList<ValidationError> Check(GuidelineContent content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var errors = new List<ValidationError>();
        for (var s = 0; s < content.Sections.Count; s++)
        {
            for (var i = 0; i < content.Sections[s].Statements.Count; i++)
            {
                var statement = content.Sections[s].Statements[i];
                if ((statement.Keywords ?? []).Any(k => !QuestionTokenizer.Tokenize(k).Any(t => !t.IsNumber)))
                {
                    errors.Add(new($"sections[{s}].statements[{i}].keywords", $"statement '{statement.Id}' has a keyword with no word in it"));
                }
            }
        }
        if (content.Lexicon is not { } lexicon)
        {
            return errors;
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        var phraseOwner = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var c = 0; c < lexicon.Concepts.Count; c++)
        {
            var concept = lexicon.Concepts[c];
            var path = $"lexicon.concepts[{c}]";
            if (string.IsNullOrWhiteSpace(concept.Id) || !ConceptIdPattern().IsMatch(concept.Id))
            {
                errors.Add(new($"{path}.id", $"concept id '{concept.Id}' must be lowercase letters, digits and hyphens"));
            }
            else if (!ids.Add(concept.Id))
            {
                errors.Add(new($"{path}.id", $"concept '{concept.Id}' is declared twice"));
            }
            if (concept.Terms.Count == 0)
            {
                errors.Add(new($"{path}.terms", $"concept '{concept.Id}' has no terms"));
            }
            foreach (var term in concept.Terms)
            {
                var tokens = QuestionTokenizer.Tokenize(term);
                if (!tokens.Any(t => !t.IsNumber))
                {
                    errors.Add(new($"{path}.terms", $"concept '{concept.Id}': term '{term}' has no word in it"));
                    continue;
                }
                var key = PhraseKey(tokens);
                // Spellings that read the same within one concept ("penetrate", "penetrates") are harmless; across two they are ambiguous.
                if (!phraseOwner.TryAdd(key, concept.Id) && phraseOwner[key] != concept.Id)
                {
                    errors.Add(new($"{path}.terms", $"'{term}' is a term of both '{phraseOwner[key]}' and '{concept.Id}'; a phrase belongs to one concept"));
                }
            }
        }
        for (var g = 0; g < lexicon.GenericWords.Count; g++)
        {
            var word = lexicon.GenericWords[g];
            var tokens = QuestionTokenizer.Tokenize(word);
            if (tokens.Count == 0)
            {
                errors.Add(new($"lexicon.genericWords[{g}]", $"generic word '{word}' has no word in it"));
            }
            else if (phraseOwner.TryGetValue(PhraseKey(tokens), out var owner))
            {
                errors.Add(new($"lexicon.genericWords[{g}]", $"'{word}' is a term of concept '{owner}', so it cannot also be a generic word"));
            }
        }
        if (lexicon.Subject is { } subject && !lexicon.Concepts.Any(c => c.Id == subject && c.Qualifier))
        {
            errors.Add(new("lexicon.subject", $"the subject '{subject}' must be one of the qualifier concepts"));
        }

        var analyzer = new QuestionAnalyzer(content);
        for (var c = 0; c < lexicon.Concepts.Count; c++)
        {
            var concept = lexicon.Concepts[c];
            var matched = concept.Qualifier
                ? analyzer.Profiles.Any(p => p.TextConcepts.Contains(concept.Id))
                : analyzer.Profiles.Any(p => p.TextConcepts.Contains(concept.Id) || p.ContextConcepts.Contains(concept.Id));
            if (concept.Terms.Count > 0 && !matched)
            {
                errors.Add(new($"lexicon.concepts[{c}]", concept.Qualifier
                    ? $"qualifier '{concept.Id}' is named in no statement's text, so no question naming it could be answered"
                    : $"concept '{concept.Id}' matches no statement (text, section title or keywords)"));
            }
        }
        return errors;
    }

    private static string PhraseKey(IEnumerable<QuestionToken> tokens) => string.Join(' ', tokens.Select(t => t.Key));

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex ConceptIdPattern();
}
