using AlkPlatform.Guidelines.Workflow;

namespace AlkPlatform.Guidelines.Tests.Workflow;

/// <summary>Every action against every role, and every action from every state, through the real store.</summary>
public class TransitionMatrixTests
{
    // Written out by hand from the issue, independently of RevisionStateMachine's table, so a drift in either shows.
    private static readonly Dictionary<RevisionAction, Role[]> AllowedRoles = new()
    {
        [RevisionAction.StartDraft] = [Role.Author, Role.Admin],
        [RevisionAction.SaveDraft] = [Role.Author, Role.Admin],
        [RevisionAction.Submit] = [Role.Author, Role.Admin],
        [RevisionAction.StartReview] = [Role.Reviewer, Role.Approver],
        [RevisionAction.Comment] = [Role.Author, Role.Reviewer, Role.Approver, Role.Admin],
        [RevisionAction.RequestChanges] = [Role.Reviewer, Role.Approver],
        [RevisionAction.Approve] = [Role.Approver],
        [RevisionAction.Revise] = [Role.Author, Role.Admin],
        // Withdraw also needs to be the revision's author; the actor here is not, so only Admin may.
        [RevisionAction.Withdraw] = [Role.Admin],
        [RevisionAction.Publish] = [Role.Publisher, Role.Admin],
        [RevisionAction.Rollback] = [Role.Publisher, Role.Ops, Role.Admin],
        [RevisionAction.Retire] = [Role.Ops, Role.Admin],
    };

    private static readonly Dictionary<RevisionAction, (RevisionState From, RevisionState? To)> Happy = new()
    {
        [RevisionAction.StartDraft] = (RevisionState.Live, RevisionState.Draft),
        [RevisionAction.SaveDraft] = (RevisionState.Draft, RevisionState.Draft),
        [RevisionAction.Submit] = (RevisionState.Draft, RevisionState.Submitted),
        [RevisionAction.StartReview] = (RevisionState.Submitted, RevisionState.UnderReview),
        [RevisionAction.Comment] = (RevisionState.UnderReview, RevisionState.UnderReview),
        [RevisionAction.RequestChanges] = (RevisionState.UnderReview, RevisionState.ChangesRequested),
        [RevisionAction.Approve] = (RevisionState.UnderReview, RevisionState.UnderReview),
        [RevisionAction.Revise] = (RevisionState.ChangesRequested, RevisionState.Withdrawn),
        [RevisionAction.Withdraw] = (RevisionState.Draft, RevisionState.Withdrawn),
        [RevisionAction.Publish] = (RevisionState.Approved, RevisionState.Live),
        [RevisionAction.Rollback] = (RevisionState.Superseded, RevisionState.Live),
        [RevisionAction.Retire] = (RevisionState.Live, RevisionState.Retired),
    };

    private static readonly Dictionary<RevisionAction, RevisionState[]> AllowedFrom = new()
    {
        [RevisionAction.SaveDraft] = [RevisionState.Draft],
        [RevisionAction.Submit] = [RevisionState.Draft],
        [RevisionAction.StartReview] = [RevisionState.Submitted],
        [RevisionAction.Comment] = [RevisionState.Draft, RevisionState.Submitted, RevisionState.UnderReview, RevisionState.ChangesRequested],
        [RevisionAction.RequestChanges] = [RevisionState.Submitted, RevisionState.UnderReview, RevisionState.ChangesRequested],
        [RevisionAction.Approve] = [RevisionState.UnderReview],
        [RevisionAction.Revise] = [RevisionState.ChangesRequested],
        [RevisionAction.Withdraw] = [RevisionState.Draft, RevisionState.Submitted, RevisionState.UnderReview, RevisionState.ChangesRequested, RevisionState.Approved],
        [RevisionAction.Publish] = [RevisionState.Approved],
        [RevisionAction.Rollback] = [RevisionState.Superseded],
    };

    public static TheoryData<RevisionAction, Role> ActionsAndRoles()
    {
        var data = new TheoryData<RevisionAction, Role>();
        foreach (var action in AllowedRoles.Keys)
        {
            foreach (var role in Enum.GetValues<Role>())
            {
                data.Add(action, role);
            }
        }
        return data;
    }

    public static TheoryData<RevisionAction, RevisionState> ActionsAndStates()
    {
        var data = new TheoryData<RevisionAction, RevisionState>();
        foreach (var action in AllowedFrom.Keys)
        {
            foreach (var state in Enum.GetValues<RevisionState>())
            {
                data.Add(action, state);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(ActionsAndRoles))]
    public void Action_ByEachRole_AllowedOnlyForItsRoles(RevisionAction action, Role role)
    {
        using var world = new WorkflowWorld();
        var (from, to) = Happy[action];
        var revision = world.In(from);
        world.Tick();
        var actor = Actor.Create("someone-" + role, "Someone " + role, role);
        var allowed = AllowedRoles[action].Contains(role);

        var act = () => Perform(world, action, actor, revision);

        if (allowed)
        {
            var after = act();
            Assert.Equal(to, after.State);
        }
        else
        {
            var refused = Assert.ThrowsAny<WorkflowException>(act);
            Assert.Equal(WorkflowErrorCode.RoleRequired, refused.Code);
            Assert.Equal(from, world.Workflow.GetRevision(revision.GuidelineId, revision.Number).State);
        }
    }

    [Theory]
    [MemberData(nameof(ActionsAndStates))]
    public void Action_FromEachState_AllowedOnlyFromItsStates(RevisionAction action, RevisionState state)
    {
        using var world = new WorkflowWorld(new WorkflowOptions { ApprovalQuorum = 1 });
        var revision = world.In(state);
        world.Tick();
        // Every role, but not the revision's author: state is the only thing that can refuse.
        var actor = Actor.Create("board-member", "Board Member", Enum.GetValues<Role>());

        var act = () => Perform(world, action, actor, revision);

        if (AllowedFrom[action].Contains(state))
        {
            act();
        }
        else
        {
            var refused = Assert.ThrowsAny<WorkflowException>(act);
            if (action == RevisionAction.Approve && state == RevisionState.ChangesRequested)
            {
                // The more specific reason wins: the open change request is what blocks approval.
                Assert.Equal(WorkflowErrorCode.OpenChangeRequests, refused.Code);
            }
            else
            {
                Assert.Equal(WorkflowErrorCode.InvalidState, refused.Code);
                Assert.Contains(state.ToString(), refused.Message, StringComparison.Ordinal);
            }
            Assert.Equal(state, world.Workflow.GetRevision(revision.GuidelineId, revision.Number).State);
        }
    }

    [Fact]
    public void StateMachineTable_MatchesTheBoardsRoles()
    {
        foreach (var (action, roles) in AllowedRoles.Where(p => p.Key != RevisionAction.Withdraw))
        {
            Assert.Equal(roles.Order(), RevisionStateMachine.RolesFor(action).Order());
        }
    }

    private static Revision Perform(WorkflowWorld world, RevisionAction action, Actor actor, Revision revision)
    {
        var w = world.Workflow;
        var g = revision.GuidelineId;
        var n = revision.Number;
        switch (action)
        {
            case RevisionAction.StartDraft:
                return w.StartDraft(actor, g, n);
            case RevisionAction.SaveDraft:
                return w.SaveDraft(actor, g, n, revision.Content with { ChangeSummary = "edited" }, revision.SaveNumber);
            case RevisionAction.Submit:
                return w.Submit(actor, g, n, revision.SaveNumber);
            case RevisionAction.StartReview:
                return w.StartReview(actor, g, n);
            case RevisionAction.Comment:
                w.AddComment(actor, g, n, "Looks right to me.", "rr-alectinib-dose");
                return w.GetRevision(g, n);
            case RevisionAction.RequestChanges:
                w.RequestChanges(actor, g, n, "Please cite the threshold's source.");
                return w.GetRevision(g, n);
            case RevisionAction.Approve:
                return w.Approve(actor, g, n, revision.SubmittedHash ?? revision.ContentHash);
            case RevisionAction.Revise:
                w.Revise(actor, g, n);
                return w.GetRevision(g, n);
            case RevisionAction.Withdraw:
                return w.Withdraw(actor, g, n, "Superseded by another draft.");
            case RevisionAction.Publish:
                w.Publish(actor, g, n, "Quorum reached; scenarios pass.");
                return w.GetRevision(g, n);
            case RevisionAction.Rollback:
                w.Rollback(actor, g, n, "Revision 2 gave wrong doses in clinic.");
                return w.GetRevision(g, n);
            case RevisionAction.Retire:
                w.Retire(actor, g, "Replaced by a national guideline.");
                return w.GetRevision(g, n);
            default:
                throw new ArgumentOutOfRangeException(nameof(action), action, null);
        }
    }
}
