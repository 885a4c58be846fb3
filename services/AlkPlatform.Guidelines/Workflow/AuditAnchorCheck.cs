using AlkPlatform.Guidelines.Releases;
using AlkPlatform.Guidelines.Releases.Signing;
using AlkPlatform.Guidelines.Storage;

namespace AlkPlatform.Guidelines.Workflow;

/// <summary>
/// Checks the audit chain against what anchors it outside its own hashes. A chain rewritten wholesale (every hash
/// recomputed) still links up, but no longer matches the heads inside the signed envelopes, which can't be re-signed
/// without the key; approvals and live pointers changed by SQL no longer match the chain and the signed events.
/// One snapshot of the content store, read once; pure from there.
/// </summary>
public sealed class AuditAnchorCheck
{
    private readonly Dictionary<long, AuditEntry> _chain;
    private readonly IReadOnlyList<AuditEntry> _entries;
    private readonly IReadOnlyList<(string GuidelineId, long Sequence, string Kind, string ReleaseId, SignedReleaseEvent Event)> _stored;
    private readonly IReadOnlyList<(string GuidelineId, int RevisionNumber, RevisionApproval Approval)> _approvals;
    private readonly IReadOnlyDictionary<string, string> _livePointers;
    private readonly IReadOnlyDictionary<string, string> _releaseHashes;
    private readonly string _publicKeyPem;
    private readonly string _keyId;

    private AuditAnchorCheck(ContentTransaction tx, IReleaseEventSigner signer)
    {
        _entries = tx.Audit.Read();
        _chain = _entries.ToDictionary(e => e.Sequence);
        _stored = tx.ReleaseEvents.ListAsStored();
        _approvals = tx.Reviews.ListAllApprovals();
        _livePointers = tx.Releases.ListLivePointers();
        _releaseHashes = tx.Releases.ListContentHashes();
        _publicKeyPem = signer.ExportPublicKeyPem();
        _keyId = signer.KeyId;
    }

    /// <summary>Reads everything the checks need in <paramref name="tx"/>; <paramref name="signer"/>'s public key checks the stored signatures.</summary>
    public static AuditAnchorCheck Read(ContentTransaction tx, IReleaseEventSigner signer)
    {
        ArgumentNullException.ThrowIfNull(tx);
        ArgumentNullException.ThrowIfNull(signer);
        return new AuditAnchorCheck(tx, signer);
    }

    /// <summary>Stored signed events against the chain, approvals against the chain, live pointers against the signed events.</summary>
    public AuditAnchoring Anchoring()
    {
        var problems = new List<string>();
        var latest = CheckStoredEvents(problems);
        CheckApprovals(problems);
        var guidelines = latest.Keys.Union(_livePointers.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        foreach (var guideline in guidelines)
        {
            CheckLivePointer(guideline, latest.GetValueOrDefault(guideline), problems);
        }
        return new AuditAnchoring(_stored.Count, _approvals.Count, guidelines.Count, problems);
    }

    /// <summary>The events a service says it activated: each one of ours, byte for byte, with a head the chain still has.</summary>
    public HeldEventsCheck Held(IEnumerable<SignedReleaseEvent> held)
    {
        ArgumentNullException.ThrowIfNull(held);
        var ours = _stored.ToDictionary(s => (s.GuidelineId, s.Sequence));
        var problems = new List<string>();
        var count = 0;
        foreach (var signedEvent in held)
        {
            count++;
            ReleaseEventEnvelope envelope;
            try
            {
                envelope = ReleaseEventEnvelope.Parse(signedEvent.Envelope.Span);
            }
            catch (ReleaseVerificationException ex)
            {
                problems.Add($"A held event (key {signedEvent.KeyId}) does not parse: {ex.Message}");
                continue;
            }
            var name = Name(envelope);
            if (!ours.TryGetValue((envelope.GuidelineId, envelope.Sequence), out var stored))
            {
                problems.Add($"{name} is held by the service, but this portal has no stored event {envelope.Sequence} of '{envelope.GuidelineId}'.");
            }
            else if (!stored.Event.Envelope.Span.SequenceEqual(signedEvent.Envelope.Span) || !stored.Event.Signature.Span.SequenceEqual(signedEvent.Signature.Span))
            {
                problems.Add($"{name} as the service holds it differs from the event this portal stored under that sequence.");
            }
            if (HeadProblem(envelope) is { } problem)
            {
                problems.Add($"{name}, as the service holds it, {problem}");
            }
        }
        return new HeldEventsCheck(count, problems);
    }

    /// <summary>Checks each stored event; returns each guideline's latest readable one.</summary>
    private Dictionary<string, ReleaseEventEnvelope> CheckStoredEvents(List<string> problems)
    {
        using var keys = TrustedReleaseKeys.FromPems([_publicKeyPem]);
        var latest = new Dictionary<string, ReleaseEventEnvelope>(StringComparer.Ordinal);
        foreach (var group in _stored.GroupBy(s => s.GuidelineId, StringComparer.Ordinal))
        {
            long expected = 1;
            foreach (var row in group.OrderBy(r => r.Sequence))
            {
                var where = $"Signed event {row.Sequence} of '{row.GuidelineId}'";
                if (row.Sequence != expected)
                {
                    problems.Add($"Signed event {expected} of '{row.GuidelineId}' is missing (the next stored is {row.Sequence}).");
                }
                expected = row.Sequence + 1;
                // Events signed by an earlier key (before a rotation) are checked against the chain, not against this key.
                if (row.Event.KeyId == _keyId && keys.Check(row.Event) is { } signatureProblem)
                {
                    problems.Add($"{where}: {signatureProblem}.");
                    continue;
                }
                ReleaseEventEnvelope envelope;
                try
                {
                    envelope = ReleaseEventEnvelope.Parse(row.Event.Envelope.Span);
                }
                catch (ReleaseVerificationException ex)
                {
                    problems.Add($"{where}: {ex.Message}");
                    continue;
                }
                if (envelope.GuidelineId != row.GuidelineId || envelope.Sequence != row.Sequence
                    || ReleaseEventRepository.KindName(envelope.Kind) != row.Kind || envelope.ReleaseId != row.ReleaseId)
                {
                    problems.Add($"{where}: its table row says {row.Kind} {row.ReleaseId} but its signed envelope says " +
                        $"{ReleaseEventRepository.KindName(envelope.Kind)} {envelope.ReleaseId} (event {envelope.Sequence} of '{envelope.GuidelineId}').");
                    continue;
                }
                if (HeadProblem(envelope) is { } headProblem)
                {
                    problems.Add($"{Name(envelope)} {headProblem}");
                }
                latest[row.GuidelineId] = envelope;
            }
        }
        return latest;
    }

    /// <summary>Why the chain no longer holds the entry the event was signed after; null when it does.</summary>
    private string? HeadProblem(ReleaseEventEnvelope envelope)
    {
        var head = envelope.AuditHead;
        if (!_chain.TryGetValue(head.Sequence, out var entry))
        {
            return $"was signed when the audit chain ended at entry {head.Sequence}, but the chain has no entry {head.Sequence}.";
        }
        if (entry.EntryHash != head.EntryHash)
        {
            return $"was signed when audit entry {head.Sequence} hashed to {Short(head.EntryHash)}, but that entry now hashes to " +
                $"{Short(entry.EntryHash)}: the chain was rewritten after the event was signed.";
        }
        var actions = envelope.Kind switch
        {
            ReleaseEventKind.Release => new[] { AuditActions.Published, AuditActions.FeedEventSigned },
            ReleaseEventKind.Rollback => [AuditActions.RolledBack, AuditActions.FeedEventSigned],
            _ => [AuditActions.Retired, AuditActions.FeedEventSigned],
        };
        if (entry.GuidelineId != envelope.GuidelineId || entry.RevisionNumber != envelope.RevisionNumber || !actions.Contains(entry.Action))
        {
            return $"was signed after audit entry {head.Sequence}, which records {entry.Action} of '{entry.GuidelineId}' " +
                $"revision {entry.RevisionNumber}, not this {ReleaseEventRepository.KindName(envelope.Kind)}.";
        }
        return null;
    }

    private void CheckApprovals(List<string> problems)
    {
        bool Recorded(string guideline, int revision, RevisionApproval a) => _entries.Any(e =>
            e.GuidelineId == guideline && e.RevisionNumber == revision && e.ActorId == a.ApproverId && e.ContentHash == a.ContentHash
            && (e.Action == AuditActions.Approved || (e.Action == AuditActions.BootstrapSeeded && a.ApproverId == Actor.Bootstrap.Id)));

        foreach (var (guideline, revision, approval) in _approvals)
        {
            if (!Recorded(guideline, revision, approval))
            {
                problems.Add($"The approval of revision {revision} of '{guideline}' by {approval.ApproverName} ({approval.ApproverId}) on " +
                    $"{Short(approval.ContentHash)} has no matching \"{AuditActions.Approved}\" entry in the audit chain: it was not given through the workflow.");
            }
        }
        foreach (var entry in _entries.Where(e => e.Action == AuditActions.Approved))
        {
            if (!_approvals.Any(a => a.GuidelineId == entry.GuidelineId && a.RevisionNumber == entry.RevisionNumber
                && a.Approval.ApproverId == entry.ActorId && a.Approval.ContentHash == entry.ContentHash))
            {
                problems.Add($"Audit entry {entry.Sequence} records {entry.ActorName}'s approval of revision {entry.RevisionNumber} of " +
                    $"'{entry.GuidelineId}', but that approval is no longer stored.");
            }
        }
    }

    private void CheckLivePointer(string guideline, ReleaseEventEnvelope? latest, List<string> problems)
    {
        var pointer = _livePointers.GetValueOrDefault(guideline);
        if (latest is null)
        {
            problems.Add($"The live pointer of '{guideline}' names release {pointer}, but no signed event put anything live for it.");
            return;
        }
        var said = $"its latest signed event ({Name(latest)})";
        if (latest.Kind == ReleaseEventKind.Retirement)
        {
            if (pointer is not null)
            {
                problems.Add($"The live pointer of '{guideline}' names release {pointer}, but {said} took it offline.");
            }
            return;
        }
        if (pointer != latest.ReleaseId)
        {
            problems.Add($"The live pointer of '{guideline}' names {(pointer is null ? "no release" : $"release {pointer}")}, but {said} put release {latest.ReleaseId} live: " +
                "the pointer was changed outside the workflow.");
        }
        else if (_releaseHashes.GetValueOrDefault(latest.ReleaseId) != latest.ContentHash)
        {
            problems.Add($"Release {latest.ReleaseId} of '{guideline}' is not stored with the content hash {Short(latest.ContentHash)} its signed event names.");
        }
    }

    private static string Name(ReleaseEventEnvelope envelope) =>
        $"Signed {ReleaseEventRepository.KindName(envelope.Kind)} event {envelope.Sequence} of '{envelope.GuidelineId}' ({envelope.ReleaseId})";

    private static string Short(string? hash) => hash is { Length: > 12 } ? hash[..12] : hash ?? "(none)";
}
