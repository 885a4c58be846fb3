using AlkPlatform.Guidelines.Releases;
using AlkPlatform.Guidelines.Releases.Signing;
using AlkPlatform.Guidelines.Storage;

namespace AlkPlatform.Guidelines.Workflow;

/// <summary>
/// The guideline workflow: every action checks role, state and the board's rules, writes its change and its audit entry
/// in one transaction, and announces releases on <see cref="Feed"/> after they commit. Every change to what is served is
/// signed with the portal's key inside that same transaction. One file per phase: drafting, review, approval, releases
/// (publish, schedule, rollback, retire) and queries.
/// </summary>
public sealed partial class GuidelineWorkflow
{
    private readonly ContentStore _store;
    private readonly TimeProvider _time;
    private readonly IReleaseEventSigner _signer;

    public WorkflowOptions Options { get; }
    public ApprovalQuorum Quorum { get; }
    public ReleaseFeedHub Feed { get; }
    public ContentStore Store => _store;

    /// <summary>The id of the key that signs this portal's feed events.</summary>
    public string SigningKeyId => _signer.KeyId;

    /// <param name="earlierKeys">
    /// The public keys this portal signed with before a rotation: each guideline whose latest event one of them signed is
    /// re-signed with <paramref name="signer"/> at open, so the services can stop trusting the old key.
    /// </param>
    public GuidelineWorkflow(ContentStore store, TimeProvider time, IReleaseEventSigner signer, WorkflowOptions? options = null, TrustedReleaseKeys? earlierKeys = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(signer);
        _store = store;
        _time = time;
        _signer = signer;
        Options = options ?? new WorkflowOptions();
        Options.Validate();
        Quorum = new ApprovalQuorum(Options.ApprovalQuorum);
        SignWhatIsServedUnsigned();
        ReSignAfterRotation(earlierKeys);
        Feed = new ReleaseFeedHub(store.Read(LatestSignedEvents));
    }

    /// <summary>Opens (creating and seeding if new) the content database at <paramref name="databasePath"/>; <paramref name="signer"/> signs its feed events.</summary>
    public static GuidelineWorkflow Open(
        string databasePath, TimeProvider time, IReleaseEventSigner signer, WorkflowOptions? options = null, TrustedReleaseKeys? earlierKeys = null) =>
        new(ContentStore.Open(databasePath, time), time, signer, options, earlierKeys);

    private Revision Transition(ContentTransaction tx, Actor actor, Revision revision, RevisionState to, string action, string? reason)
    {
        var now = Now();
        tx.Revisions.SetState(revision.GuidelineId, revision.Number, to, now);
        var updated = Load(tx, revision.GuidelineId, revision.Number);
        Audit(tx, actor, action, updated, $"{revision.State} → {to}" + (reason is null ? "" : $": {reason}"), now);
        return updated;
    }

    private static Revision Load(ContentTransaction tx, string guidelineId, int number) =>
        tx.Revisions.Find(guidelineId, number) ?? throw RevisionNotFound(guidelineId, number);

    private static AuditEntry Audit(ContentTransaction tx, Actor actor, string action, Revision revision, string? reason, DateTimeOffset at) =>
        tx.Audit.Append(new AuditRecord(actor, action, revision.GuidelineId, revision.Number, revision.SubmittedHash ?? revision.ContentHash, reason), at);

    private static void RequireText(string? text, string what, WorkflowErrorCode code = WorkflowErrorCode.ValidationFailed)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new WorkflowException(code, $"{what} needs a reason or text.");
        }
    }

    private static string Short(string? hash) => hash is null ? "(none)" : hash.Length > 12 ? hash[..12] : hash;

    private static WorkflowException RevisionNotFound(string guidelineId, int number) =>
        new(WorkflowErrorCode.NotFound, $"Revision {number} of guideline '{guidelineId}' does not exist.");

    private DateTimeOffset Now() => _time.GetUtcNow();
}
