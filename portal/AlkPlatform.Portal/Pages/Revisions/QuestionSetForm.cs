using AlkPlatform.Guidelines.Content;

namespace AlkPlatform.Portal.Pages.Revisions;

/// <summary>
/// The labelled question set as plain fields: one row per question, what it expects in one box (acceptable statement ids
/// for an in-scope question, the term its refusal must name for an out-of-scope one). Whether a question is in the frozen
/// part is not editable here: the frozen part measures what tuning never saw.
/// </summary>
public sealed class QuestionSetForm
{
    public List<QuestionFields> Questions { get; set; } = [];

    public sealed class QuestionFields
    {
        public string? Id { get; set; }
        public string? Text { get; set; }
        public QuestionKind Kind { get; set; }
        /// <summary>In scope: comma-separated statement ids; out of scope: the term to name.</summary>
        public string? Expected { get; set; }
        public string? Topic { get; set; }
        public bool NamesAgent { get; set; }
        public bool Remove { get; set; }
    }

    public static QuestionSetForm From(GuidelineContent content) => new()
    {
        Questions = [.. (content.Questions ?? []).Select(q => new QuestionFields
        {
            Id = q.Id,
            Text = q.Text,
            Kind = q.Kind,
            Expected = q.Kind == QuestionKind.InScope ? string.Join(", ", q.Acceptable ?? []) : q.UnknownTerm,
            Topic = q.Topic,
            NamesAgent = q.NamesAgent,
        })],
    };

    /// <summary>The set as edited: stored questions keep their frozen flag; a new row (no id) gets the next free id.</summary>
    public GuidelineContent ApplyTo(GuidelineContent content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var stored = (content.Questions ?? []).DistinctBy(q => q.Id).ToDictionary(q => q.Id, StringComparer.Ordinal);
        var taken = stored.Keys.ToHashSet(StringComparer.Ordinal);
        var questions = new List<LabelledQuestion>();
        foreach (var row in Questions.Where(r => !r.Remove && !string.IsNullOrWhiteSpace(r.Text)))
        {
            var id = string.IsNullOrWhiteSpace(row.Id) ? NextId(taken) : row.Id.Trim();
            var expected = (row.Expected ?? "").Trim();
            var inScope = row.Kind == QuestionKind.InScope;
            var outOfScope = row.Kind == QuestionKind.OutOfScope;
            questions.Add(new LabelledQuestion
            {
                Id = id,
                Text = row.Text!.Trim(),
                Kind = row.Kind,
                Acceptable = inScope ? [.. expected.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)] : null,
                UnknownTerm = outOfScope && expected.Length > 0 ? expected : null,
                Topic = outOfScope && !string.IsNullOrWhiteSpace(row.Topic) ? row.Topic.Trim() : null,
                NamesAgent = outOfScope && row.NamesAgent,
                Frozen = stored.TryGetValue(id, out var before) && before.Frozen,
            });
        }
        return content with { Questions = content.Questions is null && questions.Count == 0 ? null : questions };
    }

    private static string NextId(HashSet<string> taken)
    {
        for (var n = 1; ; n++)
        {
            var id = $"question-{n}";
            if (taken.Add(id))
            {
                return id;
            }
        }
    }
}
