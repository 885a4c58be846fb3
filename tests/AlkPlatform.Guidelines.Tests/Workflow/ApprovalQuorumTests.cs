using AlkPlatform.Guidelines.Content;
using AlkPlatform.Guidelines.Releases;
using AlkPlatform.Guidelines.Workflow;

namespace AlkPlatform.Guidelines.Tests.Workflow;

public class ApprovalQuorumTests
{
    private const string Frozen = "1111111111111111111111111111111111111111111111111111111111111111";
    private const string Other = "2222222222222222222222222222222222222222222222222222222222222222";
    private static readonly Dictionary<string, string> Editors = new() { ["alice"] = "Alice Author", ["eve"] = "Eve Editor" };

    [Fact]
    public void Counting_ApprovalsOfOtherContentOrByTheAuthorOrAnEditor_DoNotCount()
    {
        var evidence = Evidence(Frozen,
            Approval("ann", Frozen), Approval("abe", Other), Approval("alice", Frozen), Approval("eve", Frozen), Approval("amy", Frozen));

        var counting = ApprovalQuorum.Counting(evidence);

        Assert.Equal(["ann", "amy"], counting.Select(a => a.ApproverId));
    }

    [Fact]
    public void Counting_ApprovalsByWhoeverWroteOrEditedARevisionItWasCopiedFrom_DoNotCount()
    {
        // Revision 2 was copied from revision 1, which Carl wrote and Dora edited; neither was released.
        var copiedFrom = new LineageRevision(1, null, "carl", "Carl Author", new Dictionary<string, string> { ["carl"] = "Carl Author", ["dora"] = "Dora Editor" });
        var evidence = Evidence(Frozen, [copiedFrom], Approval("carl", Frozen), Approval("ann", Frozen), Approval("dora", Frozen), Approval("abe", Frozen));

        var counting = ApprovalQuorum.Counting(evidence);

        Assert.Equal(["ann", "abe"], counting.Select(a => a.ApproverId));
        Assert.False(new ApprovalQuorum(3).IsMetBy(evidence));
    }

    [Fact]
    public void IsMetBy_TwoApprovalsFromOneApprover_CountsThemOnce()
    {
        var quorum = new ApprovalQuorum(2);

        Assert.False(quorum.IsMetBy(Evidence(Frozen, Approval("ann", Frozen), Approval("ann", Frozen))));
        Assert.True(quorum.IsMetBy(Evidence(Frozen, Approval("ann", Frozen), Approval("abe", Frozen))));
    }

    [Fact]
    public void Counting_RevisionNeverSubmitted_CountsNothing()
    {
        var evidence = Evidence(frozenHash: null, Approval("ann", Frozen));

        Assert.Empty(ApprovalQuorum.Counting(evidence));
        Assert.False(new ApprovalQuorum(1).IsMetBy(evidence));
    }

    [Fact]
    public void WhyNotMet_TooFewCountingApprovals_SaysHowManyAndThatOthersWereSetAside()
    {
        var quorum = new ApprovalQuorum(3);
        var evidence = Evidence(Frozen, Approval("ann", Frozen), Approval("abe", Other));

        var why = quorum.WhyNotMet(evidence);
        var refused = Assert.Throws<WorkflowException>(() => quorum.EnsureMetBy(evidence));

        Assert.Equal("Revision 2 of 'alk-lbcl' has 1 valid approval(s) of the 3 required (1 signed other content, repeated an approver, " +
            "or came from someone who wrote or edited it or a revision it was copied from).", why);
        Assert.Equal(WorkflowErrorCode.QuorumNotReached, refused.Code);
        Assert.Equal(why, refused.Message);
    }

    [Fact]
    public void EnsureMetBy_QuorumReached_ReturnsTheCountingApprovals()
    {
        var quorum = new ApprovalQuorum(2);

        var approvals = quorum.EnsureMetBy(Evidence(Frozen, Approval("ann", Frozen), Approval("alice", Frozen), Approval("abe", Frozen)));

        Assert.Null(quorum.WhyNotMet(Evidence(Frozen, Approval("ann", Frozen), Approval("abe", Frozen))));
        Assert.Equal(["ann", "abe"], approvals.Select(a => a.ApproverId));
    }

    [Fact]
    public void Constructor_SizeBelowOne_IsRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ApprovalQuorum(0));

    private static ApprovalEvidence Evidence(string? frozenHash, params RevisionApproval[] approvals) => Evidence(frozenHash, [], approvals);

    private static ApprovalEvidence Evidence(string? frozenHash, IReadOnlyList<LineageRevision> copiedFrom, params RevisionApproval[] approvals)
    {
        var at = new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
        var revision = new Revision
        {
            GuidelineId = "alk-lbcl",
            Number = 2,
            State = RevisionState.UnderReview,
            Content = SeedGuideline.Load(),
            ContentHash = frozenHash ?? Frozen,
            SubmittedHash = frozenHash,
            AuthorId = "alice",
            AuthorName = "Alice Author",
            CreatedAt = at,
            SaveNumber = 2,
            LastSavedById = "eve",
            LastSavedByName = "Eve Editor",
            LastSavedAt = at,
            StateChangedAt = at,
        };
        var candidate = new LineageRevision(revision.Number, copiedFrom.Count == 0 ? null : copiedFrom[0].Number, revision.AuthorId, revision.AuthorName, Editors);
        return new ApprovalEvidence(revision, new RevisionLineage([candidate, .. copiedFrom], lastRelease: null), approvals);
    }

    private static RevisionApproval Approval(string approverId, string hash) =>
        new(approverId, approverId, new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero), WorkflowOptions.SignatureMeaning, hash);
}
