using AlkPlatform.Guidelines.Content;

namespace AlkPlatform.Guidelines.Questions;

/// <summary>The labelled question set of one revision asked of that revision's own content.</summary>
public sealed record QuestionSetRun(IReadOnlyList<QuestionResult> Results)
{
    public QuestionSetScore All => QuestionSetScore.Of(Results);

    /// <summary>The part never used for tuning the lexicon.</summary>
    public QuestionSetScore Frozen => QuestionSetScore.Of(Results.Where(r => r.Question.Frozen));

    /// <summary>The part the lexicon may be tuned on.</summary>
    public QuestionSetScore Tuning => QuestionSetScore.Of(Results.Where(r => !r.Question.Frozen));

    /// <summary>Asks every question of <paramref name="content"/>'s set (or of <paramref name="questions"/>) against the content.</summary>
    public static QuestionSetRun Of(GuidelineContent content, IEnumerable<LabelledQuestion>? questions = null)
    {
        ArgumentNullException.ThrowIfNull(content);
        using var answerer = new QuestionAnswerer(content);
        return new QuestionSetRun([.. (questions ?? content.Questions ?? []).Select(q => new QuestionResult(q, answerer.Ask(q.Text)))]);
    }
}
