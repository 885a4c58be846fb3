using AlkPlatform.Guidelines.Workflow;
using AlkPlatform.Portal.Ops;
using Microsoft.AspNetCore.Mvc;

namespace AlkPlatform.Portal.Pages.Audit;

public sealed class IndexModel(GuidelineWorkflow workflow, ReleaseActivationReader activations) : WorkflowPage(workflow)
{
    [BindProperty(SupportsGet = true)]
    public string? Guideline { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Who { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Action { get; set; }

    public AuditVerification? Verification { get; private set; }
    public AuditAnchoring? Anchoring { get; private set; }
    public IReadOnlyList<ServiceAnchoring> Services { get; private set; } = [];
    public IReadOnlyList<AuditEntry> Entries { get; private set; } = [];
    public IReadOnlyList<string> Actions { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Verification = Workflow.VerifyAuditTrail();
        Anchoring = Workflow.VerifyAuditAnchors();
        Services = [.. (await activations.ReadAllAsync(cancellationToken)).Select(held =>
            new ServiceAnchoring(held, held.Error is null ? Workflow.CompareHeldEvents(held.Events) : null))];
        var all = Workflow.GetAuditTrail(string.IsNullOrWhiteSpace(Guideline) ? null : Guideline.Trim());
        Actions = [.. all.Select(e => e.Action).Distinct().Order(StringComparer.Ordinal)];
        Entries = [.. all
            .Where(e => string.IsNullOrWhiteSpace(Who) || e.ActorName.Contains(Who.Trim(), StringComparison.OrdinalIgnoreCase) || e.ActorId == Who.Trim())
            .Where(e => string.IsNullOrWhiteSpace(Action) || e.Action == Action)
            .OrderByDescending(e => e.Sequence)];
    }
}
