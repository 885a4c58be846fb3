using AlkPlatform.Guidelines.Releases;
using AlkPlatform.Guidelines.Releases.Signing;
using AlkPlatform.Guidelines.Storage;
using AlkPlatform.Guidelines.Workflow;

namespace AlkPlatform.Guidelines.Tests.Workflow;

/// <summary>
/// The audit chain checked against what anchors it: the heads inside the signed events (stored here and held by the
/// services), the approvals, and the live pointers. A chain rewritten wholesale still links up, but no longer matches.
/// </summary>
public sealed class AuditAnchorTests : IDisposable
{
    private readonly WorkflowWorld _world = new();

    private GuidelineWorkflow Workflow => _world.Workflow;

    [Fact]
    public void VerifyAuditAnchors_AfterPublishRollbackAndRetire_IsAnchored()
    {
        var earlier = _world.Live();
        _world.Live();
        Workflow.Rollback(_world.Olga, WorkflowWorld.Guideline, earlier.Number, "The later wording gave wrong doses in clinic.");
        Workflow.Retire(_world.Olga, WorkflowWorld.Guideline, "Offline for review.");

        var anchoring = Workflow.VerifyAuditAnchors();

        Assert.True(anchoring.IsAnchored, string.Join(Environment.NewLine, anchoring.Problems));
        Assert.Equal(5, anchoring.SignedEventsChecked);
        Assert.Equal(5, anchoring.ApprovalsChecked);
        Assert.Equal(1, anchoring.GuidelinesChecked);
        Assert.True(Workflow.CompareHeldEvents(Workflow.ListReleaseEvents().Select(e => e.Event)).Matches);
    }

    [Fact]
    public void VerifyAuditAnchors_ChainRewrittenWholesale_PassesThePlainCheckButNotTheSignedHeads()
    {
        _world.Live();
        var heldByService = Workflow.ListReleaseEvents().Select(e => e.Event).ToList();

        // Someone with the file rewrites who published, then recomputes every hash and the head so the chain links up again.
        RewriteChain(e => e.Action == AuditActions.Published ? e with { ActorName = "Ann Approver" } : e);

        var plain = Workflow.VerifyAuditTrail();
        var anchoring = Workflow.VerifyAuditAnchors();
        var held = Workflow.CompareHeldEvents(heldByService);

        Assert.True(plain.IsIntact, plain.Problem);
        Assert.False(anchoring.IsAnchored);
        Assert.Contains(anchoring.Problems, p => p.StartsWith("Signed release event 2 of 'alk-lbcl'", StringComparison.Ordinal)
            && p.Contains("the chain was rewritten after the event was signed", StringComparison.Ordinal));
        Assert.False(held.Matches);
        Assert.Equal(2, held.EventsChecked);
        Assert.Contains(held.Problems, p => p.Contains("as the service holds it", StringComparison.Ordinal)
            && p.Contains("the chain was rewritten after the event was signed", StringComparison.Ordinal));
    }

    [Fact]
    public void VerifyAuditAnchors_ApprovalWhoseAuditEntryWasDeleted_IsReported()
    {
        _world.Live();
        var abe = Workflow.GetAuditTrail().Single(e => e.Action == AuditActions.Approved && e.ActorId == _world.Abe.Id);

        _world.Sql("DELETE FROM audit_entries WHERE sequence = @Sequence", new { abe.Sequence });
        var anchoring = Workflow.VerifyAuditAnchors();

        Assert.Contains(anchoring.Problems, p => p.StartsWith("The approval of revision 2 of 'alk-lbcl' by Abe Approver (abe)", StringComparison.Ordinal)
            && p.Contains("has no matching \"approved\" entry in the audit chain", StringComparison.Ordinal));
    }

    [Fact]
    public void VerifyAuditAnchors_ApprovalInsertedBySql_IsReported()
    {
        var submitted = _world.UnderReview();

        _world.Sql(
            """
            INSERT INTO approvals (guideline_id, revision_number, approver_id, approver_name, approved_at, signature_meaning, content_hash)
            VALUES ('alk-lbcl', @Number, 'mallory', 'Mallory', '2026-12-01T10:00:00.0000000+00:00', 'I approve this content for clinical use', @SubmittedHash)
            """, new { submitted.Number, submitted.SubmittedHash });
        var anchoring = Workflow.VerifyAuditAnchors();

        Assert.Contains(anchoring.Problems, p => p.Contains("by Mallory (mallory)", StringComparison.Ordinal) && p.Contains("not given through the workflow", StringComparison.Ordinal));
    }

    [Fact]
    public void VerifyAuditAnchors_ApprovalDeletedBySql_IsReported()
    {
        _world.Live();

        _world.Sql("DELETE FROM approvals WHERE approver_id = 'ann'");
        var anchoring = Workflow.VerifyAuditAnchors();

        Assert.Contains(anchoring.Problems, p => p.Contains("Ann Approver's approval of revision 2", StringComparison.Ordinal)
            && p.Contains("no longer stored", StringComparison.Ordinal));
    }

    [Fact]
    public void VerifyAuditAnchors_LivePointerChangedBySql_IsReported()
    {
        _world.Live();
        var seed = BundledSeedRelease.Create().ReleaseId;

        _world.Sql("UPDATE live_releases SET release_id = @seed", new { seed });
        var anchoring = Workflow.VerifyAuditAnchors();

        Assert.True(Workflow.VerifyAuditTrail().IsIntact);
        Assert.Contains(anchoring.Problems, p => p.StartsWith($"The live pointer of 'alk-lbcl' names release {seed}", StringComparison.Ordinal)
            && p.Contains("the pointer was changed outside the workflow", StringComparison.Ordinal));
    }

    [Fact]
    public void VerifyAuditAnchors_LivePointerOfARetiredGuidelineRestoredBySql_IsReported()
    {
        var live = Workflow.GetLiveRelease(WorkflowWorld.Guideline)!;
        Workflow.Retire(_world.Olga, WorkflowWorld.Guideline, "Offline for review.");

        _world.Sql("INSERT INTO live_releases (guideline_id, release_id, since) VALUES ('alk-lbcl', @ReleaseId, '2026-12-01T10:00:00.0000000+00:00')", new { live.ReleaseId });
        var anchoring = Workflow.VerifyAuditAnchors();

        Assert.Contains(anchoring.Problems, p => p.Contains("took it offline", StringComparison.Ordinal));
    }

    [Fact]
    public void CompareHeldEvents_EventThePortalNeverStored_IsReported()
    {
        var stored = Workflow.ListReleaseEvents().Single();
        var invented = _world.SigningKey.Sign(stored.Envelope with { Sequence = 7 });

        var held = Workflow.CompareHeldEvents([stored.Event, invented]);

        Assert.Equal(2, held.EventsChecked);
        Assert.Contains(held.Problems, p => p.Contains("this portal has no stored event 7 of 'alk-lbcl'", StringComparison.Ordinal));
        Assert.Single(held.Problems);
    }

    [Fact]
    public void VerifyAuditAnchors_EventSignedByAnotherKeyInsertedBySql_IsReported()
    {
        using var stranger = ReleaseSigningKey.Generate();
        var stored = Workflow.ListReleaseEvents().Single();
        var forged = stranger.Sign(stored.Envelope with { Sequence = 2 }) with { KeyId = _world.SigningKey.KeyId };

        _world.Sql(
            """
            INSERT INTO release_events (guideline_id, sequence, kind, release_id, envelope, key_id, signature, signed_at)
            VALUES ('alk-lbcl', 2, 'release', @ReleaseId, @Envelope, @KeyId, @Signature, '2026-12-01T10:00:00.0000000+00:00')
            """, new { stored.Envelope.ReleaseId, Envelope = forged.Envelope.ToArray(), forged.KeyId, Signature = forged.Signature.ToArray() });
        var anchoring = Workflow.VerifyAuditAnchors();

        Assert.Contains(anchoring.Problems, p => p.StartsWith("Signed event 2 of 'alk-lbcl'", StringComparison.Ordinal)
            && p.Contains("signature does not verify", StringComparison.Ordinal));
    }

    /// <summary>Edits entries, then recomputes every link, hash and the head, as a careful forger with write access would.</summary>
    private void RewriteChain(Func<AuditEntry, AuditEntry> edit)
    {
        var previous = AuditTrail.GenesisHash;
        foreach (var original in Workflow.GetAuditTrail())
        {
            var entry = edit(original) with { PreviousHash = previous };
            entry = entry with { EntryHash = AuditTrail.ComputeHash(entry) };
            _world.Sql(
                "UPDATE audit_entries SET actor_name = @ActorName, reason = @Reason, previous_hash = @PreviousHash, entry_hash = @EntryHash WHERE sequence = @Sequence",
                entry);
            previous = entry.EntryHash;
        }
        _world.Sql("UPDATE audit_head SET entry_hash = @previous", new { previous });
    }

    public void Dispose() => _world.Dispose();
}
