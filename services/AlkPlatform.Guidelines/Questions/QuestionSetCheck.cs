using AlkPlatform.Guidelines.Content;

namespace AlkPlatform.Guidelines.Questions;

/// <summary>The labelled question set's shape: ids unique, each question with what its kind needs, acceptable statements that exist.</summary>
public static class QuestionSetCheck
{
    public const int MaxQuestionLength = 1000;

    public static IReadOnlyList<ValidationError> Check(GuidelineContent content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var errors = new List<ValidationError>();
        var statements = content.AllStatements().Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var questions = content.Questions ?? [];
        for (var i = 0; i < questions.Count; i++)
        {
            var question = questions[i];
            var path = $"questions[{i}]";
            if (string.IsNullOrWhiteSpace(question.Id))
            {
                errors.Add(new($"{path}.id", "is required"));
            }
            else if (!ids.Add(question.Id))
            {
                errors.Add(new($"{path}.id", $"question '{question.Id}' is used twice"));
            }
            if (string.IsNullOrWhiteSpace(question.Text) || question.Text.Length > MaxQuestionLength)
            {
                errors.Add(new($"{path}.text", $"question '{question.Id}' needs a text of 1 to {MaxQuestionLength} characters"));
            }
            switch (question.Kind)
            {
                case QuestionKind.InScope when question.Acceptable is not { Count: > 0 }:
                    errors.Add(new($"{path}.acceptable", $"in-scope question '{question.Id}' names no acceptable statement"));
                    break;
                case QuestionKind.InScope:
                    foreach (var id in question.Acceptable.Where(id => !statements.Contains(id)))
                    {
                        errors.Add(new($"{path}.acceptable", $"question '{question.Id}' accepts statement '{id}', which does not exist"));
                    }
                    break;
                case QuestionKind.OutOfScope when string.IsNullOrWhiteSpace(question.UnknownTerm):
                    errors.Add(new($"{path}.unknownTerm", $"out-of-scope question '{question.Id}' needs the term its refusal must name"));
                    break;
            }
        }
        return errors;
    }
}
