namespace AlkPlatform.Guidelines.Workflow;

/// <summary>What a person may do in the workflow; the portal maps Entra app roles onto these.</summary>
public enum Role
{
    Author,
    Reviewer,
    Approver,
    Publisher,
    Ops,
    Admin,
}
