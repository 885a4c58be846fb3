using System.Globalization;
using AlkPlatform.Guidelines.Content;

namespace AlkPlatform.Guidelines.Questions;

/// <summary>The figures the targets are set on, for one part of the labelled question set.</summary>
public sealed record QuestionSetScore
{
    public int Total { get; init; }
    public int InScope { get; init; }
    public int InScopeAnswered { get; init; }
    public int InScopeAcceptableInTopThree { get; init; }
    public int OutOfScope { get; init; }
    public int OutOfScopeRefused { get; init; }
    public int NamedAgents { get; init; }
    public int NamedAgentsRefused { get; init; }
    public int NearMisses { get; init; }
    public int NearMissesRefused { get; init; }
    public int Wrong { get; init; }
    public int TermNamedCorrectly { get; init; }

    public double OutOfScopeRefusedRate => Rate(OutOfScopeRefused, OutOfScope);
    public double NamedAgentsRefusedRate => Rate(NamedAgentsRefused, NamedAgents);
    public double NearMissesRefusedRate => Rate(NearMissesRefused, NearMisses);
    public double WrongRate => Total == 0 ? 0 : (double)Wrong / Total;
    public double InScopeAnsweredRate => Rate(InScopeAnswered, InScope);
    /// <summary>Of the in-scope questions answered.</summary>
    public double TopThreeRate => Rate(InScopeAcceptableInTopThree, InScopeAnswered);
    /// <summary>Of the out-of-scope questions refused.</summary>
    public double TermNamedRate => Rate(TermNamedCorrectly, OutOfScopeRefused);

    public static QuestionSetScore Of(IEnumerable<QuestionResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var list = results.ToList();
        var inScope = list.Where(r => r.Question.Kind == QuestionKind.InScope).ToList();
        var outOfScope = list.Where(r => r.Question.Kind == QuestionKind.OutOfScope).ToList();
        var near = list.Where(r => r.Question.Kind == QuestionKind.NearMiss).ToList();
        return new QuestionSetScore
        {
            Total = list.Count,
            InScope = inScope.Count,
            InScopeAnswered = inScope.Count(r => r.Answered),
            InScopeAcceptableInTopThree = inScope.Count(r => r.AcceptableInTopThree),
            OutOfScope = outOfScope.Count,
            OutOfScopeRefused = outOfScope.Count(r => !r.Answered),
            NamedAgents = outOfScope.Count(r => r.Question.NamesAgent),
            NamedAgentsRefused = outOfScope.Count(r => r.Question.NamesAgent && !r.Answered),
            NearMisses = near.Count,
            NearMissesRefused = near.Count(r => !r.Answered),
            Wrong = list.Count(r => r.Wrong),
            TermNamedCorrectly = outOfScope.Count(r => r.TermNamed),
        };
    }

    /// <summary>One line of figures, e.g. for a test's output or the publish page.</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"{Total} questions: out of scope refused {OutOfScopeRefused}/{OutOfScope} ({OutOfScopeRefusedRate:P1}), named agents refused " +
        $"{NamedAgentsRefused}/{NamedAgents} ({NamedAgentsRefusedRate:P1}), near misses refused {NearMissesRefused}/{NearMisses} ({NearMissesRefusedRate:P1}), " +
        $"wrong answers {Wrong}/{Total} ({WrongRate:P1}), in scope answered {InScopeAnswered}/{InScope} ({InScopeAnsweredRate:P1}), " +
        $"acceptable in top 3 {InScopeAcceptableInTopThree}/{InScopeAnswered} ({TopThreeRate:P1}), term named {TermNamedCorrectly}/{OutOfScopeRefused} ({TermNamedRate:P1})");

    // An empty part meets its rate: there is nothing in it to get wrong.
    private static double Rate(int part, int of) => of == 0 ? 1 : (double)part / of;
}
