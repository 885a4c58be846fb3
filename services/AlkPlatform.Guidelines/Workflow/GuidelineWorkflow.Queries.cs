using AlkPlatform.Guidelines.Content;
using AlkPlatform.Guidelines.Diffs;
using AlkPlatform.Guidelines.Releases;
using AlkPlatform.Guidelines.Releases.Signing;
using AlkPlatform.Guidelines.Storage;

namespace AlkPlatform.Guidelines.Workflow;

public sealed partial class GuidelineWorkflow
{
    public IReadOnlyList<GuidelineSummary> ListGuidelines() => _store.Read(tx => tx.Guidelines.List());

    public IReadOnlyList<Revision> ListRevisions(string guidelineId) => _store.Read(tx => tx.Revisions.List(guidelineId));

    public Revision GetRevision(string guidelineId, int number) =>
        _store.Read(tx => tx.Revisions.Find(guidelineId, number)) ?? throw RevisionNotFound(guidelineId, number);

    public IReadOnlyList<ReviewComment> GetComments(string guidelineId, int number) => _store.Read(tx => tx.Reviews.ListComments(guidelineId, number));

    public IReadOnlyList<RevisionApproval> GetApprovals(string guidelineId, int number) => _store.Read(tx => tx.Reviews.ListApprovals(guidelineId, number));

    /// <summary>The approvals that count towards <see cref="Quorum"/>, exactly as approval and publish count them.</summary>
    public IReadOnlyList<RevisionApproval> GetCountingApprovals(string guidelineId, int number) =>
        _store.Read(tx => ApprovalQuorum.Counting(Evidence(tx, Load(tx, guidelineId, number))));

    public Release? GetLiveRelease(string guidelineId) => _store.Read(tx => tx.Releases.FindLive(guidelineId));

    public IReadOnlyList<Release> ListReleases(string guidelineId) => _store.Read(tx => tx.Releases.List(guidelineId));

    public IReadOnlyList<AuditEntry> GetAuditTrail(string? guidelineId = null) => _store.Read(tx => tx.Audit.Read(guidelineId));

    public AuditVerification VerifyAuditTrail() => _store.Read(tx => tx.Audit.Verify());

    /// <summary>The chain against its anchors: the heads inside the stored signed events, the approvals and the live pointers.</summary>
    public AuditAnchoring VerifyAuditAnchors() => _store.Read(tx => AuditAnchorCheck.Read(tx, _signer).Anchoring());

    /// <summary>The signed events a recommendation service holds, against this portal's stored events and chain.</summary>
    public HeldEventsCheck CompareHeldEvents(IEnumerable<SignedReleaseEvent> held) => _store.Read(tx => AuditAnchorCheck.Read(tx, _signer).Held(held));

    /// <summary>Every stored signed event, by guideline then sequence.</summary>
    public IReadOnlyList<StoredReleaseEvent> ListReleaseEvents() => _store.Read(tx => tx.ReleaseEvents.List());

    public RevisionDiff Diff(string guidelineId, int fromRevision, int toRevision) =>
        RevisionDiffer.Compare(GetRevision(guidelineId, fromRevision).Content, GetRevision(guidelineId, toRevision).Content);

    /// <summary>The revision compared with the guideline's live release.</summary>
    public RevisionDiff DiffAgainstLive(string guidelineId, int number) =>
        RevisionDiffer.Compare(LiveContent(guidelineId), GetRevision(guidelineId, number).Content);

    /// <summary>
    /// The behavioural diff: the scenarios and <see cref="ImpactPatients.Table"/> under the live release and under the revision,
    /// listing every patient whose cards or missing facts change.
    /// </summary>
    public ImpactReport PreviewImpact(string guidelineId, int number)
    {
        var candidate = GetRevision(guidelineId, number).Content;
        var problems = GuidelineValidator.Validate(candidate);
        if (problems.Count > 0)
        {
            throw new GateFailedException(WorkflowErrorCode.ValidationFailed, "Impact preview", problems);
        }
        return ImpactPreview.Compare(LiveContent(guidelineId), candidate);
    }

    private GuidelineContent LiveContent(string guidelineId) =>
        (GetLiveRelease(guidelineId) ?? throw new WorkflowException(WorkflowErrorCode.NotFound, $"Guideline '{guidelineId}' has no live release."))
        .Verify();
}
