namespace AlkPlatform.Guidelines.Workflow;

/// <summary>A gate (submit or publish) refused the content; each problem names where it is and why.</summary>
public sealed class GateFailedException(WorkflowErrorCode code, string gate, IReadOnlyList<Content.ValidationError> problems)
    : WorkflowException(code, $"{gate} refused: " + string.Join("; ", problems))
{
    public IReadOnlyList<Content.ValidationError> Problems { get; } = problems;
}
