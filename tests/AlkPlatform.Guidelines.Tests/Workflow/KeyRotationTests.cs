using AlkPlatform.Guidelines.Releases.Signing;
using AlkPlatform.Guidelines.Workflow;

namespace AlkPlatform.Guidelines.Tests.Workflow;

/// <summary>
/// Rotating the portal's signing key: opened with a new key and the earlier public key, the portal re-signs what each
/// guideline serves, so services that trust both can then drop the old one without losing the live release.
/// </summary>
public sealed class KeyRotationTests : IDisposable
{
    private readonly WorkflowWorld _world = new();
    private readonly ReleaseSigningKey _newKey = ReleaseSigningKey.Generate();
    private readonly TrustedReleaseKeys _earlier;

    public KeyRotationTests() => _earlier = TrustedReleaseKeys.FromPems([_world.SigningKey.ExportPublicKeyPem()]);

    private GuidelineWorkflow OpenWithNewKey(TrustedReleaseKeys? earlier) =>
        GuidelineWorkflow.Open(_world.DatabasePath, _world.Clock, _newKey, earlierKeys: earlier);

    [Fact]
    public void Open_WithANewKeyAndTheEarlierPublicKey_ReSignsTheLatestEvent_WhichAServiceTrustingOnlyTheNewKeyAccepts()
    {
        _world.Live();
        var before = _world.Workflow.ListReleaseEvents()[^1];

        var rotated = OpenWithNewKey(_earlier);

        var resigned = rotated.ListReleaseEvents()[^1];
        Assert.Equal((before.Envelope.Sequence + 1, _newKey.KeyId), (resigned.Envelope.Sequence, resigned.Event.KeyId));
        Assert.Equal((before.Envelope.Kind, before.Envelope.ReleaseId, before.Envelope.Reason), (resigned.Envelope.Kind, resigned.Envelope.ReleaseId, resigned.Envelope.Reason));
        Assert.Equal(before.Envelope.Approvals, resigned.Envelope.Approvals);
        Assert.Contains("re-signed with key " + _newKey.KeyId, rotated.GetAuditTrail()[^1].Reason, StringComparison.Ordinal);
        using var onlyNew = TrustedReleaseKeys.FromPems([_newKey.ExportPublicKeyPem()]);
        var release = rotated.GetLiveRelease(WorkflowWorld.Guideline)!;
        new ReleaseEventVerifier(onlyNew, approvalQuorum: 2).VerifyRelease(release.ReleaseId, resigned.Event, release.CanonicalContent,
            new ActiveReleaseEvent(before.Envelope.Sequence, before.Envelope.RevisionNumber, before.Envelope.ReleaseId));
        Assert.True(rotated.VerifyAuditAnchors().IsAnchored, string.Join(Environment.NewLine, rotated.VerifyAuditAnchors().Problems));
        Assert.Equal(rotated.ListReleaseEvents().Count, OpenWithNewKey(_earlier).ListReleaseEvents().Count);
    }

    [Fact]
    public void Open_WithANewKeyButWithoutTheEarlierPublicKey_LeavesTheOldSignaturesAsTheyAre()
    {
        _world.Live();
        var before = _world.Workflow.ListReleaseEvents().Count;

        var rotated = OpenWithNewKey(earlier: null);

        Assert.Equal(before, rotated.ListReleaseEvents().Count);
        Assert.Equal(_world.SigningKey.KeyId, rotated.ListReleaseEvents()[^1].Event.KeyId);
    }

    [Fact]
    public void Open_AfterRotation_AnEventWrittenIntoTheDatabaseUnderTheOldKeyId_IsNotReSigned()
    {
        _world.Live();
        var latest = _world.Workflow.ListReleaseEvents()[^1];
        using var stranger = ReleaseSigningKey.Generate();
        var forged = stranger.Sign(latest.Envelope with { Sequence = latest.Envelope.Sequence + 1 }) with { KeyId = _world.SigningKey.KeyId };
        _world.Sql(
            """
            INSERT INTO release_events (guideline_id, sequence, kind, release_id, envelope, key_id, signature, signed_at)
            VALUES ('alk-lbcl', @Sequence, 'release', @ReleaseId, @Envelope, @KeyId, @Signature, '2026-12-01T10:00:00.0000000+00:00')
            """, new { Sequence = latest.Envelope.Sequence + 1, latest.Envelope.ReleaseId, Envelope = forged.Envelope.ToArray(), forged.KeyId, Signature = forged.Signature.ToArray() });

        var rotated = OpenWithNewKey(_earlier);

        Assert.DoesNotContain(rotated.ListReleaseEvents(), e => e.Event.KeyId == _newKey.KeyId);
    }

    public void Dispose()
    {
        _earlier.Dispose();
        _newKey.Dispose();
        _world.Dispose();
    }
}
