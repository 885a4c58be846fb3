using System.Text;
using AlkPlatform.Guidelines.Content;
using AlkPlatform.Guidelines.Releases;
using AlkPlatform.Guidelines.Releases.Signing;

namespace AlkPlatform.Guidelines.Tests.Signing;

public sealed class ReleaseEventVerifierTests : IDisposable
{
    private static readonly DateTimeOffset At = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
    private readonly ReleaseSigningKey _board = ReleaseSigningKey.Generate();
    private readonly ReleaseSigningKey _stranger = ReleaseSigningKey.Generate();
    private readonly TrustedReleaseKeys _trusted;
    private readonly ReleaseEventVerifier _verifier;
    private readonly byte[] _content = GuidelineJson.ToCanonicalUtf8(SeedGuideline.Load());
    private readonly string _hash;

    public ReleaseEventVerifierTests()
    {
        _trusted = TrustedReleaseKeys.FromPems([_board.ExportPublicKeyPem()]);
        _verifier = new ReleaseEventVerifier(_trusted, approvalQuorum: 2);
        _hash = GuidelineJson.ComputeHash(_content);
    }

    [Fact]
    public void VerifyRelease_SignedByTrustedKeyWithQuorum_BuildsReleaseFromEnvelope()
    {
        var signed = _board.Sign(Envelope());

        var verified = _verifier.VerifyRelease(ReleaseId(2), signed, _content, active: null);

        Assert.False(verified.AlreadyActive);
        Assert.Equal(ReleaseId(2), verified.Release!.ReleaseId);
        Assert.Equal(2, verified.Release.RevisionNumber);
        Assert.Equal(["amira", "ben"], verified.Release.Approvals.Select(a => a.ApproverId));
        Assert.Equal(SeedGuideline.Load().VersionLabel, verified.Release.VersionLabel);
        Assert.Equal(_board.KeyId, verified.Envelope.KeyId);
    }

    [Fact]
    public void VerifyRelease_HashValidContentWithFabricatedApprovalsAndNoSignature_IsRefused()
    {
        var tampered = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(_content).Replace("\"dose\":300", "\"dose\":900", StringComparison.Ordinal));
        Assert.NotEqual(_content, tampered);
        var tamperedHash = GuidelineJson.ComputeHash(tampered);
        var envelope = Envelope(hash: tamperedHash) with { KeyId = _board.KeyId };
        var unsigned = new SignedReleaseEvent(envelope.ToCanonicalUtf8(), _board.KeyId, ReadOnlyMemory<byte>.Empty);

        var refusal = Assert.Throws<ReleaseVerificationException>(() => _verifier.VerifyRelease(envelope.ReleaseId, unsigned, tampered, null));

        Assert.Contains("not signed", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void VerifyRelease_SignedByUntrustedKey_IsRefusedNamingTheKey()
    {
        var signed = _stranger.Sign(Envelope());

        var refusal = Assert.Throws<ReleaseVerificationException>(() => _verifier.VerifyRelease(ReleaseId(2), signed, _content, null));

        Assert.Contains($"signed by key {_stranger.KeyId}, which this service does not trust", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void VerifyRelease_EnvelopeChangedAfterSigning_IsRefused()
    {
        var signed = _board.Sign(Envelope());
        var altered = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(signed.Envelope.Span).Replace("\"amira\"", "\"mallory\"", StringComparison.Ordinal));

        var refusal = Assert.Throws<ReleaseVerificationException>(() =>
            _verifier.VerifyRelease(ReleaseId(2), signed with { Envelope = altered }, _content, null));

        Assert.Contains("signature does not verify", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void VerifyRelease_ContentOtherThanTheSignedHash_IsRefused()
    {
        var signed = _board.Sign(Envelope());
        var tampered = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(_content).Replace("\"dose\":300", "\"dose\":900", StringComparison.Ordinal));

        var refusal = Assert.Throws<ReleaseVerificationException>(() => _verifier.VerifyRelease(ReleaseId(2), signed, tampered, null));

        Assert.Contains($"not the signed {_hash}", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void VerifyRelease_ReleaseIdNotDerivedFromTheHash_IsRefused()
    {
        var signed = _board.Sign(Envelope() with { ReleaseId = "alk-lbcl@r2-000000000000" });

        var refusal = Assert.Throws<ReleaseVerificationException>(() => _verifier.VerifyRelease("alk-lbcl@r2-000000000000", signed, _content, null));

        Assert.Contains($"not the one derived from guideline, revision and hash ({ReleaseId(2)})", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void VerifyRelease_MessageNamesAnotherReleaseThanTheEnvelope_IsRefused()
    {
        var signed = _board.Sign(Envelope());

        var refusal = Assert.Throws<ReleaseVerificationException>(() => _verifier.VerifyRelease("alk-lbcl@r9-abc", signed, _content, null));

        Assert.Contains("the signed envelope says", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void VerifyRelease_ReplayedUnderAnotherGuidelineName_IsRefusedBeforeLineageIsSkipped()
    {
        // An old event of alk-lbcl, re-sent in a message naming a guideline that has no active event (so no lineage to fail).
        var old = _board.Sign(Envelope(sequence: 1));

        var refusal = Assert.Throws<ReleaseVerificationException>(() =>
            _verifier.VerifyRelease("other-guideline", ReleaseId(2), old, _content, active: null));

        Assert.Contains("the message names guideline 'other-guideline' but the signed envelope says 'alk-lbcl'", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void VerifyRelease_MessageNamingTheSignedGuideline_IsAccepted()
    {
        var verified = _verifier.VerifyRelease("alk-lbcl", ReleaseId(2), _board.Sign(Envelope()), _content, active: null);

        Assert.Equal("alk-lbcl", verified.Release!.GuidelineId);
    }

    [Fact]
    public void VerifyRelease_FewerApprovalsThanTheQuorum_IsRefused()
    {
        var signed = _board.Sign(Envelope(approvals: [Approval("amira")]));

        var refusal = Assert.Throws<ReleaseVerificationException>(() => _verifier.VerifyRelease(ReleaseId(2), signed, _content, null));

        Assert.Contains("1 distinct approval(s); the quorum is 2", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void VerifyRelease_SameApproverTwice_IsRefused()
    {
        var signed = _board.Sign(Envelope(approvals: [Approval("amira"), Approval("amira")]));

        var refusal = Assert.Throws<ReleaseVerificationException>(() => _verifier.VerifyRelease(ReleaseId(2), signed, _content, null));

        Assert.Contains("amira is listed as an approver more than once", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void VerifyRelease_ApprovalOfAnotherHash_IsRefused()
    {
        var other = new string('a', 64);
        var signed = _board.Sign(Envelope(approvals: [Approval("amira"), Approval("ben", other)]));

        var refusal = Assert.Throws<ReleaseVerificationException>(() => _verifier.VerifyRelease(ReleaseId(2), signed, _content, null));

        Assert.Contains($"approval by ben names content {other}", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void VerifyRelease_SequenceNotNewerThanActive_IsRefused()
    {
        var signed = _board.Sign(Envelope(sequence: 3));

        var refusal = Assert.Throws<ReleaseVerificationException>(() =>
            _verifier.VerifyRelease(ReleaseId(2), signed, _content, new ActiveReleaseEvent(4, 3, "alk-lbcl@r3-x")));

        Assert.Contains("sequence number 3 is not newer than the active 4", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void VerifyRelease_OlderRevisionWithoutRollback_IsRefused()
    {
        var signed = _board.Sign(Envelope(sequence: 5));

        var refusal = Assert.Throws<ReleaseVerificationException>(() =>
            _verifier.VerifyRelease(ReleaseId(2), signed, _content, new ActiveReleaseEvent(4, 3, "alk-lbcl@r3-x")));

        Assert.Contains("only through a signed rollback", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void VerifyRelease_SignedRollbackToOlderRevision_IsAccepted()
    {
        var signed = _board.Sign(Envelope(sequence: 5) with { Kind = ReleaseEventKind.Rollback });

        var verified = _verifier.VerifyRelease(ReleaseId(2), signed, _content, new ActiveReleaseEvent(4, 3, "alk-lbcl@r3-x"));

        Assert.Equal(ReleaseEventKind.Rollback, verified.Envelope.Kind);
        Assert.Equal(ReleaseId(2), verified.Release!.ReleaseId);
    }

    [Fact]
    public void VerifyRelease_TheActiveEventAgain_IsAlreadyActive()
    {
        var signed = _board.Sign(Envelope(sequence: 4));

        var verified = _verifier.VerifyRelease(ReleaseId(2), signed, _content, new ActiveReleaseEvent(4, 2, ReleaseId(2)));

        Assert.True(verified.AlreadyActive);
    }

    [Fact]
    public void VerifyRelease_RetirementEnvelopeOnReleaseMessage_IsRefused()
    {
        var signed = _board.Sign(Envelope() with { Kind = ReleaseEventKind.Retirement });

        var refusal = Assert.Throws<ReleaseVerificationException>(() => _verifier.VerifyRelease(ReleaseId(2), signed, _content, null));

        Assert.Contains("is a retirement, not a release", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void VerifyRelease_SignedButNotCanonical_IsRefused()
    {
        var canonical = Encoding.UTF8.GetString((Envelope() with { KeyId = _board.KeyId }).ToCanonicalUtf8());
        var bytes = Encoding.UTF8.GetBytes(canonical.Replace(",\"reason\"", ", \"reason\"", StringComparison.Ordinal));
        var signed = SignRaw(_board, bytes);

        var refusal = Assert.Throws<ReleaseVerificationException>(() => _verifier.VerifyRelease(ReleaseId(2), signed, _content, null));

        Assert.Contains("not in canonical form", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void VerifyRelease_EnvelopeNamingAnotherKey_IsRefused()
    {
        var bytes = (Envelope() with { KeyId = _stranger.KeyId }).ToCanonicalUtf8();
        var signed = SignRaw(_board, bytes);

        var refusal = Assert.Throws<ReleaseVerificationException>(() => _verifier.VerifyRelease(ReleaseId(2), signed, _content, null));

        Assert.Contains($"names key {_stranger.KeyId}", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void VerifyRelease_TwoTrustedKeys_AcceptsEitherDuringRotation()
    {
        using var next = ReleaseSigningKey.Generate();
        using var both = TrustedReleaseKeys.FromPems([_board.ExportPublicKeyPem(), next.ExportPublicKeyPem()]);
        var verifier = new ReleaseEventVerifier(both, 2);

        var byOld = verifier.VerifyRelease(ReleaseId(2), _board.Sign(Envelope(sequence: 1)), _content, null);
        var byNew = verifier.VerifyRelease(ReleaseId(2), next.Sign(Envelope(sequence: 2)), _content, new ActiveReleaseEvent(1, 2, ReleaseId(2)));

        Assert.Equal(_board.KeyId, byOld.Envelope.KeyId);
        Assert.Equal(next.KeyId, byNew.Envelope.KeyId);
    }

    [Fact]
    public void VerifyRetirement_Signed_IsAccepted()
    {
        var signed = _board.Sign(Envelope(sequence: 5) with { Kind = ReleaseEventKind.Retirement });

        var verified = _verifier.VerifyRetirement("alk-lbcl", signed, new ActiveReleaseEvent(4, 2, ReleaseId(2)));

        Assert.Null(verified.Release);
        Assert.Equal(ReleaseEventKind.Retirement, verified.Envelope.Kind);
    }

    [Fact]
    public void VerifyRetirement_Unsigned_IsRefused()
    {
        var refusal = Assert.Throws<ReleaseVerificationException>(() => _verifier.VerifyRetirement("alk-lbcl", null, null));

        Assert.Contains("not signed", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void VerifyRetirement_ReleaseEnvelope_IsRefused()
    {
        var signed = _board.Sign(Envelope());

        var refusal = Assert.Throws<ReleaseVerificationException>(() => _verifier.VerifyRetirement("alk-lbcl", signed, null));

        Assert.Contains("is a release, not a retirement", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Envelope_CanonicalBytes_RoundTripExactly()
    {
        var envelope = Envelope() with { KeyId = _board.KeyId };
        var bytes = envelope.ToCanonicalUtf8();

        var parsed = ReleaseEventEnvelope.Parse(bytes);

        Assert.Equal(bytes, parsed.ToCanonicalUtf8());
        Assert.Equal(envelope.EventAt, parsed.EventAt);
        Assert.Equal(envelope.AuditHead, parsed.AuditHead);
    }

    [Fact]
    public void SigningKey_PemRoundTrip_KeepsKeyId()
    {
        using var reloaded = ReleaseSigningKey.FromPem(_board.ExportPrivateKeyPem());

        Assert.Equal(_board.KeyId, reloaded.KeyId);
        Assert.Throws<System.Security.Cryptography.CryptographicException>(() => ReleaseSigningKey.FromPem(_board.ExportPublicKeyPem()));
    }

    private static SignedReleaseEvent SignRaw(ReleaseSigningKey key, byte[] bytes)
    {
        using var ecdsa = System.Security.Cryptography.ECDsa.Create();
        ecdsa.ImportFromPem(key.ExportPrivateKeyPem());
        var signature = ecdsa.SignData(bytes, System.Security.Cryptography.HashAlgorithmName.SHA256,
            System.Security.Cryptography.DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return new SignedReleaseEvent(bytes, key.KeyId, signature);
    }

    private string ReleaseId(int revision, string? hash = null) => Release.MakeId("alk-lbcl", revision, hash ?? _hash);

    private RevisionApproval Approval(string id, string? hash = null) =>
        new(id, id.ToUpperInvariant(), At.AddHours(-1), "I approve this content for clinical use", hash ?? _hash);

    private ReleaseEventEnvelope Envelope(string? hash = null, IReadOnlyList<RevisionApproval>? approvals = null, long sequence = 1)
    {
        var h = hash ?? _hash;
        return new ReleaseEventEnvelope
        {
            Kind = ReleaseEventKind.Release,
            GuidelineId = "alk-lbcl",
            ReleaseId = ReleaseId(2, h),
            RevisionNumber = 2,
            ContentHash = h,
            Approvals = approvals ?? [Approval("amira", h), Approval("ben", h)],
            ApprovalBasis = "board approval: 2 distinct approvers (quorum 2)",
            Reason = "first board release",
            EventAt = At,
            Sequence = sequence,
            AuditHead = new AuditChainHead(7, new string('c', 64)),
            KeyId = "",
        };
    }

    public void Dispose()
    {
        _board.Dispose();
        _stranger.Dispose();
        _trusted.Dispose();
    }
}
