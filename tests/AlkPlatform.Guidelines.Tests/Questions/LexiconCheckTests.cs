using AlkPlatform.Guidelines.Content;
using AlkPlatform.Guidelines.Questions;
using AlkPlatform.Guidelines.Workflow;

namespace AlkPlatform.Guidelines.Tests.Questions;

/// <summary>The lexicon's submit gate: equivalents that would make Ask ambiguous or answer nothing are refused.</summary>
public sealed class LexiconCheckTests
{
    private static readonly GuidelineContent Seed = SeedGuideline.Load();

    private static GuidelineContent WithConcepts(params Concept[] added) =>
        Seed with { Lexicon = Seed.Lexicon! with { Concepts = [.. Seed.Lexicon.Concepts, .. added] } };

    [Fact]
    public void Check_SeedLexicon_Passes() => Assert.Empty(LexiconCheck.Check(Seed));

    [Fact]
    public void Check_APhraseInTwoConcepts_IsRefusedNamingBoth()
    {
        var problems = LexiconCheck.Check(WithConcepts(new Concept { Id = "brain-disease", Terms = ["Brain"] }));

        Assert.Contains(problems, p => p.Reason == "'Brain' is a term of both 'cns' and 'brain-disease'; a phrase belongs to one concept");
    }

    [Fact]
    public void Check_AConceptNoStatementMatches_IsRefused()
    {
        var problems = LexiconCheck.Check(WithConcepts(new Concept { Id = "posology", Terms = ["posology"] }));

        Assert.Equal("concept 'posology' matches no statement (text, section title or keywords)", Assert.Single(problems).Reason);
    }

    [Fact]
    public void Check_AQualifierOnlyInKeywords_IsRefused()
    {
        // A population must be named by a statement's own text; a keyword cannot make a statement about it.
        var content = WithConcepts(new Concept { Id = "elderly", Terms = ["elderly"], Qualifier = true });
        var section = content.Sections.First(s => s.Statements.Any(st => st.Id == "rr-alectinib-dose"));
        content = content with
        {
            Sections = [.. content.Sections.Select(s => s != section ? s : s with
            {
                Statements = [.. s.Statements.Select(st => st.Id == "rr-alectinib-dose" ? st with { Keywords = ["elderly"] } : st)],
            })],
        };

        Assert.Equal("qualifier 'elderly' is named in no statement's text, so no question naming it could be answered", Assert.Single(LexiconCheck.Check(content)).Reason);
    }

    [Fact]
    public void Check_AGenericWordThatIsAlsoATerm_IsRefused()
    {
        var content = Seed with { Lexicon = Seed.Lexicon! with { GenericWords = [.. Seed.Lexicon.GenericWords, "dosing"] } };

        Assert.Equal("'dosing' is a term of concept 'dose', so it cannot also be a generic word", Assert.Single(LexiconCheck.Check(content)).Reason);
    }

    [Fact]
    public void Check_ASubjectThatIsNoQualifier_IsRefused()
    {
        var content = Seed with { Lexicon = Seed.Lexicon! with { Subject = "dose" } };

        Assert.Equal("lexicon.subject", Assert.Single(LexiconCheck.Check(content)).Path);
    }

    [Fact]
    public void SubmitGate_IncludesTheLexiconCheck()
    {
        var problems = ContentGates.CheckSubmit(WithConcepts(new Concept { Id = "cns-again", Terms = ["intracranial"] }));

        Assert.Contains(problems, p => p.Path.StartsWith("lexicon.concepts[", StringComparison.Ordinal) && p.Reason.Contains("'cns'", StringComparison.Ordinal));
    }
}
