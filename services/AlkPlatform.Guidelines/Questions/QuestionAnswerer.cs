using AlkPlatform.Guidelines.Content;

namespace AlkPlatform.Guidelines.Questions;

/// <summary>
/// Answers a follow-up question only from one revision's approved statements, or abstains and says why. A statement
/// answers when it covers every concept of the question: a plain word or concept from its own text, its section title or
/// the board's keywords; a qualifier (population, disease) only from its own text. Answers are ordered by how many of the
/// question's concepts they cover, then by BM25. The same instance serves the service and the publish gate.
/// </summary>
public sealed class QuestionAnswerer : IDisposable
{
    public const int DefaultMaxResults = 3;

    private readonly QuestionAnalyzer _analyzer;
    private readonly StatementSearchIndex _index;
    private readonly Dictionary<string, int> _documentOrder;
    private readonly Dictionary<string, IReadOnlyList<string>> _termsOfConcept;

    public QuestionAnswerer(GuidelineContent content)
    {
        ArgumentNullException.ThrowIfNull(content);
        _analyzer = new QuestionAnalyzer(content);
        _index = StatementSearchIndex.Build(content);
        _documentOrder = _analyzer.Profiles.Select((p, i) => (p.StatementId, i)).DistinctBy(p => p.StatementId).ToDictionary(p => p.StatementId, p => p.i, StringComparer.Ordinal);
        _termsOfConcept = (content.Lexicon?.Concepts ?? []).DistinctBy(c => c.Id).ToDictionary(c => c.Id, c => c.Terms, StringComparer.Ordinal);
    }

    public QuestionAnalyzer Analyzer => _analyzer;

    public AskOutcome Ask(string question, int maxResults = DefaultMaxResults)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxResults, 1);
        var analysis = _analyzer.Analyze(question);
        if (analysis.UnknownTerms.Count > 0)
        {
            return new AskOutcome(analysis, AskAbstention.UnknownTerms, [], analysis.UnknownTerms);
        }
        var concepts = analysis.Concepts;
        if (concepts.Count == 0)
        {
            return new AskOutcome(analysis, AskAbstention.NothingToAnswer, [], []);
        }

        var answering = new List<(string Id, List<string> Matched)>();
        var coversRest = false;
        var qualifiersCoveredWithRest = new HashSet<string>(StringComparer.Ordinal);
        foreach (var profile in _analyzer.Profiles)
        {
            var matched = new List<string>();
            var restCovered = true;
            foreach (var concept in concepts)
            {
                if (Covers(profile, concept))
                {
                    matched.Add(concept.Name);
                }
                else if (!concept.IsQualifier)
                {
                    restCovered = false;
                }
            }
            if (matched.Count == concepts.Count)
            {
                answering.Add((profile.StatementId, matched));
            }
            if (restCovered)
            {
                coversRest = true;
                foreach (var concept in concepts.Where(c => c.IsQualifier && Covers(profile, c)))
                {
                    qualifiersCoveredWithRest.Add(concept.Key);
                }
            }
        }

        if (answering.Count == 0)
        {
            var qualifiers = concepts.Where(c => c.IsQualifier && !qualifiersCoveredWithRest.Contains(c.Key)).ToList();
            return coversRest && qualifiers.Count > 0
                ? new AskOutcome(analysis, AskAbstention.QualifierNotCovered, [], [.. qualifiers.Select(c => c.Label)])
                : new AskOutcome(analysis, AskAbstention.CombinationNotCovered, [], [.. concepts.Select(c => c.Label)]);
        }

        var scores = _index.Scores(Phrases(concepts));
        var hits = answering
            .Select(a => new AskHitResult(a.Id, scores.GetValueOrDefault(a.Id), a.Matched))
            .OrderByDescending(h => h.MatchedConcepts.Count)
            .ThenByDescending(h => h.Score)
            .ThenBy(h => _documentOrder[h.StatementId])
            .Take(maxResults)
            .ToList();
        return new AskOutcome(analysis, AskAbstention.None, hits, []);
    }

    private bool Covers(StatementProfile profile, QuestionConcept concept)
    {
        if (concept.ConceptId is not { } id)
        {
            return profile.TextKeys.Contains(concept.Key) || profile.ContextKeys.Contains(concept.Key);
        }
        if (!concept.IsQualifier)
        {
            return profile.TextConcepts.Contains(id) || profile.ContextConcepts.Contains(id);
        }
        // The guideline's own population is implied by a statement that names no other population or disease.
        return profile.TextConcepts.Contains(id) || (id == _analyzer.Subject && profile.TextQualifiers.Count == 0);
    }

    /// <summary>What BM25 ranks on: the words as asked, and every equivalent term of the question's concepts.</summary>
    private IEnumerable<string> Phrases(IReadOnlyList<QuestionConcept> concepts)
    {
        foreach (var concept in concepts)
        {
            yield return concept.Label;
            if (concept.ConceptId is { } id && _termsOfConcept.TryGetValue(id, out var terms))
            {
                foreach (var term in terms)
                {
                    yield return term;
                }
            }
        }
    }

    public void Dispose() => _index.Dispose();
}
