using AlkPlatform.Guidelines.Workflow;
using Microsoft.AspNetCore.Mvc;

namespace AlkPlatform.Portal.Pages.Audit;

public sealed class IndexModel(GuidelineWorkflow workflow) : WorkflowPage(workflow)
{
    [BindProperty(SupportsGet = true)]
    public string? Guideline { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Who { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Action { get; set; }

    public AuditVerification? Verification { get; private set; }
    public IReadOnlyList<AuditEntry> Entries { get; private set; } = [];
    public IReadOnlyList<string> Actions { get; private set; } = [];

    public void OnGet()
    {
        Verification = Workflow.VerifyAuditTrail();
        var all = Workflow.GetAuditTrail(string.IsNullOrWhiteSpace(Guideline) ? null : Guideline.Trim());
        Actions = [.. all.Select(e => e.Action).Distinct().Order(StringComparer.Ordinal)];
        Entries = [.. all
            .Where(e => string.IsNullOrWhiteSpace(Who) || e.ActorName.Contains(Who.Trim(), StringComparison.OrdinalIgnoreCase) || e.ActorId == Who.Trim())
            .Where(e => string.IsNullOrWhiteSpace(Action) || e.Action == Action)
            .OrderByDescending(e => e.Sequence)];
    }
}
