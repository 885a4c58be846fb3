using AlkPlatform.Guidelines.Questions;

namespace AlkPlatform.Guidelines.Tests.Questions;

public sealed class QuestionTokenizerTests
{
    [Theory]
    [InlineData("Is CAR-T an option?", "CAR-T")]
    [InlineData("What about PD-1 blockade?", "PD-1")]
    [InlineData("alectinib in R/R disease", "R/R")]
    [InlineData("Is ALK+ LBCL CD20-negative?", "ALK+")]
    [InlineData("STAT3/STAT5 signalling", "STAT3/STAT5")]
    public void Tokenize_JoinedForms_StayOneTokenAsTyped(string text, string form)
    {
        var token = Assert.Single(QuestionTokenizer.Tokenize(text), t => t.Surface == form);

        Assert.True(token.IsCompound || form.EndsWith('+'));
    }

    [Fact]
    public void Tokenize_PluralsAndInflections_ShareOneKey()
    {
        var keys = QuestionTokenizer.Tokenize("doses dosing dose inhibitors inhibitor").Select(t => t.Key).ToList();

        Assert.Equal(["dose", "dose", "dose", "inhibitor", "inhibitor"], keys);
    }

    [Fact]
    public void Tokenize_PossessivesAndNegations_AreNotWords()
    {
        var surfaces = QuestionTokenizer.Tokenize("Why doesn't alectinib's dose change? We can't say.").Select(t => t.Surface);

        Assert.Equal(["Why", "does", "alectinib", "dose", "change", "We", "can", "say"], surfaces);
    }

    [Fact]
    public void Tokenize_Numbers_AreMarkedSoTheyNeverCountAsContent()
    {
        var tokens = QuestionTokenizer.Tokenize("300 mg for a 58.3 kg patient, grade 3+");

        Assert.Equal(["300", "58.3", "3+"], tokens.Where(t => t.IsNumber).Select(t => t.Surface));
        Assert.Equal(["mg", "for", "a", "kg", "patient", "grade"], tokens.Where(t => !t.IsNumber).Select(t => t.Surface));
    }

    [Theory]
    [InlineData("caresses", "caress")]
    [InlineData("ponies", "poni")]
    [InlineData("relational", "relat")]
    [InlineData("hopping", "hop")]
    [InlineData("generalization", "gener")]
    [InlineData("tolerated", "toler")]
    [InlineData("cd20", "cd20")]
    public void PorterStemmer_KnownWords_StemAsPorterDefines(string word, string stem) => Assert.Equal(stem, PorterStemmer.Stem(word));
}
