namespace AlkPlatform.Guidelines.Workflow;

/// <summary>Board rules that are configuration, not code.</summary>
public sealed record WorkflowOptions
{
    /// <summary>The words an approver signs; recorded with every approval.</summary>
    public const string SignatureMeaning = "I approve this content for clinical use";

    /// <summary>How many distinct approvers (none of them an author of the revision) a revision needs.</summary>
    public int ApprovalQuorum { get; init; } = 2;

    public void Validate()
    {
        if (ApprovalQuorum < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(ApprovalQuorum), ApprovalQuorum, "the approval quorum is at least 1");
        }
    }
}
