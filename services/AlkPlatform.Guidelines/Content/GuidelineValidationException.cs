namespace AlkPlatform.Guidelines.Content;

public sealed class GuidelineValidationException(IReadOnlyList<ValidationError> errors)
    : Exception("The guideline content is invalid:" + Environment.NewLine + string.Join(Environment.NewLine, errors))
{
    public IReadOnlyList<ValidationError> Errors { get; } = errors;
}
