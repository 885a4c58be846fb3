using AlkPlatform.Guidelines.Content;
using AlkPlatform.Guidelines.Questions;

namespace AlkPlatform.Guidelines.Tests.Questions;

/// <summary>Ask over the seed guideline: what it answers, from which statements and why, and how it says what it does not cover.</summary>
public sealed class QuestionAnswererTests
{
    private static QuestionAnswerer Ask => TestGuideline.Answerer;

    [Theory]
    [InlineData("What dose of glofitamab is recommended?", "glofitamab")]
    [InlineData("Is brigatinib better than alectinib?", "brigatinib")]
    [InlineData("Can alectinib be given with warfarin?", "warfarin")]
    [InlineData("breathing problems while taking crizotinib", "breathing problems")]
    public void Ask_TheIssuesFourExamples_AreRefusedNamingTheTerm(string question, string term)
    {
        var outcome = Ask.Ask(question);

        Assert.False(outcome.Covered);
        Assert.Equal(AskAbstention.UnknownTerms, outcome.Abstention);
        Assert.Equal([term], outcome.Analysis.UnknownTerms);
        Assert.Empty(outcome.Hits);
    }

    [Fact]
    public void Ask_UnknownTerms_AreNamedAsTypedAndAdjacentWordsTogether()
    {
        var outcome = Ask.Ask("Is CAR-T better than Pembrolizumab in pregnancy?");

        Assert.Equal(["CAR-T", "Pembrolizumab", "pregnancy"], outcome.Analysis.UnknownTerms);
    }

    [Fact]
    public void Ask_AlectinibDose_AnswersFromTheDoseStatementAndExplainsWhatMatched()
    {
        var outcome = Ask.Ask("How much alectinib for a patient under 35 kg?");

        Assert.True(outcome.Covered);
        var hit = Assert.Single(outcome.Hits);
        Assert.Equal("rr-alectinib-dose", hit.StatementId);
        Assert.Equal(["dose", "alectinib", "body-weight"], hit.MatchedConcepts);
    }

    [Fact]
    public void Ask_Equivalents_MatchTheStatementsOwnWording()
    {
        // "brain" is an equivalent of the statements' "CNS"; "get into" of "penetration".
        var outcome = Ask.Ask("Does alectinib get into the brain?");

        var hit = Assert.Single(outcome.Hits, h => h.StatementId == "alectinib-cns-penetration");
        Assert.Equal(["alectinib", "penetration", "cns"], hit.MatchedConcepts);
    }

    [Fact]
    public void Ask_AQualifierNoAnsweringStatementNames_IsRefusedNamingIt()
    {
        // The dose statement covers the rest of the question but says nothing about children.
        var outcome = Ask.Ask("What dose of alectinib for a child under 35 kg?");

        Assert.Equal(AskAbstention.QualifierNotCovered, outcome.Abstention);
        Assert.Equal(["child"], outcome.Unanswered);
    }

    [Fact]
    public void Ask_AQualifierOnlyInAStatementsKeywords_DoesNotMakeItAnAnswer()
    {
        // A population must be the statement's own words: a keyword (or a section title) cannot make a dose statement about children.
        var seed = SeedGuideline.Load();
        var tagged = seed with
        {
            Sections = [.. seed.Sections.Select(s => s with
            {
                Statements = [.. s.Statements.Select(st => st.Id == "rr-alectinib-dose" ? st with { Keywords = ["children"] } : st)],
            })],
        };
        using var ask = new QuestionAnswerer(tagged);

        var outcome = ask.Ask("What dose of alectinib for a child?");

        Assert.Equal(AskAbstention.QualifierNotCovered, outcome.Abstention);
        Assert.Equal(["child"], outcome.Unanswered);
    }

    [Fact]
    public void Ask_TheGuidelinesOwnPopulation_IsNotAnsweredFromAStatementAboutAnotherOne()
    {
        // The only alectinib response rate is from ALK-positive ALCL; asked about ALK+ LBCL it is not an answer.
        var aboutLbcl = Ask.Ask("What is the response rate of alectinib in ALK+ LBCL?");
        var unqualified = Ask.Ask("What is the response rate of alectinib?");

        Assert.Equal(AskAbstention.QualifierNotCovered, aboutLbcl.Abstention);
        Assert.Equal(["ALK+ LBCL"], aboutLbcl.Unanswered);
        Assert.Equal("alectinib-orr-alcl", Assert.Single(unqualified.Hits).StatementId);
    }

    [Fact]
    public void Ask_KnownWordsNoStatementCoversTogether_IsRefusedNamingTheCombination()
    {
        var outcome = Ask.Ask("What is the dose of lenalidomide?");

        Assert.Equal(AskAbstention.CombinationNotCovered, outcome.Abstention);
        Assert.Equal(["dose", "lenalidomide"], outcome.Unanswered);
        Assert.Empty(outcome.Analysis.UnknownTerms);
    }

    [Fact]
    public void Ask_OnlyGenericWords_HasNothingToAnswer()
    {
        var outcome = Ask.Ask("What should I do for this patient?");

        Assert.Equal(AskAbstention.NothingToAnswer, outcome.Abstention);
        Assert.Empty(outcome.Hits);
    }

    [Fact]
    public void Ask_SeveralAnsweringStatements_AreRankedByBm25AfterCoverage()
    {
        var outcome = Ask.Ask("Does crizotinib penetrate the CNS?", maxResults: 5);

        Assert.True(outcome.Hits.Count >= 2);
        Assert.All(outcome.Hits, h => Assert.Equal(["crizotinib", "penetration", "cns"], h.MatchedConcepts));
        Assert.Equal(outcome.Hits.OrderByDescending(h => h.Score).Select(h => h.StatementId), outcome.Hits.Select(h => h.StatementId));
    }

    [Fact]
    public void Ask_StatementKeywords_CountAsWhatTheStatementAnswers()
    {
        var seed = SeedGuideline.Load();
        var withoutKeywords = seed with
        {
            Sections = [.. seed.Sections.Select(s => s with { Statements = [.. s.Statements.Select(st => st with { Keywords = null })] })],
        };
        using var plain = new QuestionAnswerer(withoutKeywords);

        // The crizotinib statement gives "250 mg twice daily" without the word "dose"; the board's keyword says it answers it.
        Assert.Equal("rr-crizotinib-if-unavailable", Ask.Ask("What is the dose of crizotinib?").Hits[0].StatementId);
        Assert.False(plain.Ask("What is the dose of crizotinib?").Covered);
    }

    [Fact]
    public void Ask_WithoutALexicon_EveryWordMustBeAStatementsOwn()
    {
        using var bare = new QuestionAnswerer(SeedGuideline.Load() with { Lexicon = null });

        Assert.Equal(AskAbstention.UnknownTerms, bare.Ask("What dose of alectinib?").Abstention);
        Assert.True(bare.Ask("alectinib dose").Covered);
    }
}
