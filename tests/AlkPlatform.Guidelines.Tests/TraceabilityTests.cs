using System.Text.RegularExpressions;
using AlkPlatform.Guidelines.Content;

namespace AlkPlatform.Guidelines.Tests;

/// <summary>
/// Every bullet of the source article maps to a statement with the same words and citations, and nothing is invented.
/// The tests that read the article are skipped where it is absent (see <see cref="SourceArticle"/>).
/// </summary>
public partial class TraceabilityTests
{
    private static readonly GuidelineContent Seed = SeedGuideline.Load();

    private static string[] ArticleLines() => SourceArticle.ReadAllLines();

    /// <summary>The article's cited sentences: each bullet, and the lead paragraph, with their trailing reference numbers.</summary>
    private static List<(string Text, int[] Citations)> CitedSentences() =>
        [.. ArticleLines()
            .Select(line => CitedLine().Match(line))
            .Where(m => m.Success)
            .Select(m => (m.Groups["text"].Value.Trim(), m.Groups["refs"].Value.Split(',').Select(n => int.Parse(n.Trim(), System.Globalization.CultureInfo.InvariantCulture)).ToArray()))];

    [Fact]
    public void Article_HasThe30CitedSentencesTheTestExpects()
    {
        // 29 bullets plus the lead paragraph; guards the parser itself.
        Assert.Equal(30, CitedSentences().Count);
    }

    [Fact]
    public void EveryCitedSentenceOfTheArticle_MapsToAStatementWithTheSameCitations()
    {
        var statements = Seed.AllStatements().ToList();
        foreach (var (text, citations) in CitedSentences())
        {
            var statement = statements.SingleOrDefault(s => s.Text == text);
            Assert.True(statement is not null, $"No statement encodes: {text}");
            Assert.Equal(citations, statement.Citations);
        }
    }

    [Fact]
    public void EveryStatement_ComesFromTheArticle()
    {
        var sentences = CitedSentences().Select(s => s.Text).ToHashSet();
        Assert.All(Seed.AllStatements(), s => Assert.Contains(s.Text, sentences));
        Assert.Equal(sentences.Count, Seed.AllStatements().Count());
    }

    [Fact]
    public void EverySectionHeading_IsAHeadingOfTheArticle()
    {
        var lines = ArticleLines().Select(l => l.Trim()).ToHashSet();
        Assert.All(Seed.Sections, s => Assert.Contains(s.Title, lines));
    }

    [Fact]
    public void TheFiveReferences_AreListed_AndFlaggedForTheBoard()
    {
        Assert.Equal([1, 2, 3, 4, 5], Seed.References.Select(r => r.Number));
        Assert.All(Seed.References, r => Assert.False(string.IsNullOrWhiteSpace(r.BoardNote)));
    }

    [Fact]
    public void Disclaimer_IsTheArticlesWords()
    {
        Assert.Contains(Seed.Disclaimer, SourceArticle.ReadAllText(), StringComparison.Ordinal);
    }

    [Fact]
    public void DosesAndWeightThreshold_AreEncodedInTheRules()
    {
        var therapies = Seed.Rules.Select(r => r.Card.Therapy).OfType<TherapyTemplate>().ToDictionary(t => t.Drug);
        Assert.Equal([150d, 300d], therapies["alectinib"].DoseOptions.Select(d => d.Dose));
        Assert.Equal(35d, therapies["alectinib"].DoseOptions[0].When!.Value!.Value.GetDouble());
        Assert.Equal([250d], therapies["crizotinib"].DoseOptions.Select(d => d.Dose));
    }

    [Fact]
    public void EveryCriticalPitfall_IsBehindACard()
    {
        var pitfalls = Seed.Sections.Single(s => s.Id == "pitfalls").Statements.Select(s => s.Id);
        var carded = Seed.Rules.SelectMany(r => r.Card.Statements).ToHashSet();
        Assert.All(pitfalls, id => Assert.Contains(id, carded));
    }

    [Fact]
    public void EveryAlgorithmStep_IsBehindACard()
    {
        var steps = Seed.Sections.Where(s => s.Id.StartsWith("algorithm-", StringComparison.Ordinal)).SelectMany(s => s.Statements).Select(s => s.Id);
        var carded = Seed.Rules.SelectMany(r => r.Card.Statements).ToHashSet();
        Assert.All(steps, id => Assert.Contains(id, carded));
    }

    [Fact]
    public void LexiconAndKeywords_NameNoAgentTheArticleDoesNot()
    {
        // Equivalents only: a drug-like word (an INN stem such as -mab, -tinib, -mide) in a term or keyword must be the article's own.
        var article = SourceArticle.ReadAllText().ToLowerInvariant();
        var phrases = Seed.Lexicon!.Concepts.SelectMany(c => c.Terms).Concat(Seed.AllStatements().SelectMany(s => s.Keywords ?? []));
        var words = phrases.SelectMany(p => Word().Matches(p.ToLowerInvariant()).Select(m => m.Value)).Distinct();
        Assert.All(words.Where(w => AgentStem().IsMatch(w)), w => Assert.Contains(w, article, StringComparison.Ordinal));
    }

    [GeneratedRegex(@"[a-z]+")]
    private static partial Regex Word();

    [GeneratedRegex("(mab|tinib|nib|lisib|ciclib|parib|zomib|mide|leucel|cel|platin|rubicin|stine|tecan|taxel|kinra)$")]
    private static partial Regex AgentStem();

    [GeneratedRegex(@"^\s*(?:•\s*)?(?<text>[A-Z].{40,}?[.)])\s+(?<refs>\d+(?:,\s*\d+)*)\s*$")]
    private static partial Regex CitedLine();
}
