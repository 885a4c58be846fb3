using System.Globalization;

namespace AlkPlatform.Guidelines.Questions;

/// <summary>What Ask must achieve on the labelled question set (the whole set and its frozen part) to be published.</summary>
public static class QuestionSetTargets
{
    public const double OutOfScopeRefused = 0.98;
    public const double NamedAgentsRefused = 1.0;
    public const double MaxWrong = 0.01;
    public const double InScopeAnswered = 0.90;
    public const double AcceptableInTopThree = 0.95;
    public const double TermNamed = 0.95;

    /// <summary>Each target the score misses, in words; empty when all hold.</summary>
    public static IReadOnlyList<string> Missed(QuestionSetScore score)
    {
        ArgumentNullException.ThrowIfNull(score);
        var missed = new List<string>();
        void Check(bool holds, string text)
        {
            if (!holds)
            {
                missed.Add(text);
            }
        }
        Check(score.OutOfScopeRefusedRate >= OutOfScopeRefused, Figure("out-of-scope questions refused", score.OutOfScopeRefused, score.OutOfScope, "at least", OutOfScopeRefused));
        Check(score.NamedAgentsRefusedRate >= NamedAgentsRefused, Figure("questions naming an agent the guideline does not mention refused", score.NamedAgentsRefused, score.NamedAgents, "all", NamedAgentsRefused));
        Check(score.WrongRate <= MaxWrong, Figure("wrong answers", score.Wrong, score.Total, "at most", MaxWrong));
        Check(score.InScopeAnsweredRate >= InScopeAnswered, Figure("in-scope questions answered", score.InScopeAnswered, score.InScope, "at least", InScopeAnswered));
        Check(score.TopThreeRate >= AcceptableInTopThree, Figure("answered in-scope questions with an acceptable statement in the top 3", score.InScopeAcceptableInTopThree, score.InScopeAnswered, "at least", AcceptableInTopThree));
        Check(score.TermNamedRate >= TermNamed, Figure("refusals naming the unknown term", score.TermNamedCorrectly, score.OutOfScopeRefused, "at least", TermNamed));
        return missed;
    }

    private static string Figure(string what, int part, int of, string bound, double target) => string.Create(CultureInfo.InvariantCulture,
        $"{what}: {part} of {of} ({(of == 0 ? 1 : (double)part / of):P1}); the target is {bound} {target:P0}");
}
