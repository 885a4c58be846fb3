namespace AlkPlatform.Guidelines.Workflow;

/// <summary>A workflow action refused for a stated reason; nothing was changed.</summary>
public class WorkflowException(WorkflowErrorCode code, string message) : Exception(message)
{
    public WorkflowErrorCode Code { get; } = code;
}
