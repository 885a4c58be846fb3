namespace AlkPlatform.Guidelines.Workflow;

/// <summary>
/// The workflow as a table: for each action, the roles that may take it, the states it starts from and the state it leads to.
/// Pure; the review rules (self-review, open change requests) sit in <see cref="ReviewRules"/>, the quorum in <see cref="ApprovalQuorum"/>.
/// </summary>
public static class RevisionStateMachine
{
    private sealed record Transition(HashSet<Role> Roles, HashSet<RevisionState> From, RevisionState? To);

    private static readonly HashSet<RevisionState> Open =
        [RevisionState.Draft, RevisionState.Submitted, RevisionState.UnderReview, RevisionState.ChangesRequested];

    private static readonly Dictionary<RevisionAction, Transition> Table = new()
    {
        // StartDraft copies any earlier revision; its source state is irrelevant, so every state is listed.
        [RevisionAction.StartDraft] = new([Role.Author, Role.Admin], Enum.GetValues<RevisionState>().ToHashSet(), RevisionState.Draft),
        [RevisionAction.SaveDraft] = new([Role.Author, Role.Admin], [RevisionState.Draft], RevisionState.Draft),
        [RevisionAction.Submit] = new([Role.Author, Role.Admin], [RevisionState.Draft], RevisionState.Submitted),
        [RevisionAction.StartReview] = new([Role.Reviewer, Role.Approver], [RevisionState.Submitted], RevisionState.UnderReview),
        [RevisionAction.Comment] = new([Role.Author, Role.Reviewer, Role.Approver, Role.Admin], Open, null),
        [RevisionAction.RequestChanges] = new([Role.Reviewer, Role.Approver], [RevisionState.Submitted, RevisionState.UnderReview, RevisionState.ChangesRequested], RevisionState.ChangesRequested),
        [RevisionAction.ResolveComment] = new([Role.Author, Role.Reviewer, Role.Approver, Role.Admin], Open, null),
        [RevisionAction.Approve] = new([Role.Approver], [RevisionState.UnderReview], RevisionState.Approved),
        [RevisionAction.Revise] = new([Role.Author, Role.Admin], [RevisionState.ChangesRequested], RevisionState.Withdrawn),
        [RevisionAction.Withdraw] = new([Role.Author, Role.Admin], [.. Open, RevisionState.Approved], RevisionState.Withdrawn),
        [RevisionAction.Publish] = new([Role.Publisher, Role.Admin], [RevisionState.Approved], RevisionState.Live),
        [RevisionAction.Rollback] = new([Role.Publisher, Role.Ops, Role.Admin], [RevisionState.Superseded], RevisionState.Live),
        [RevisionAction.Retire] = new([Role.Ops, Role.Admin], [RevisionState.Live], RevisionState.Retired),
    };

    public static IReadOnlySet<Role> RolesFor(RevisionAction action) => Table[action].Roles;

    public static IReadOnlySet<RevisionState> StatesFor(RevisionAction action) => Table[action].From;

    /// <summary>The state the revision acted on ends in, or null when the action leaves it where it is.</summary>
    public static RevisionState? TargetOf(RevisionAction action) => Table[action].To;

    /// <summary>Throws unless the actor holds a role for the action; checked before state so nothing leaks to outsiders.</summary>
    public static void EnsureRole(RevisionAction action, Actor actor)
    {
        var roles = Table[action].Roles;
        if (!roles.Any(actor.Has))
        {
            throw new WorkflowException(WorkflowErrorCode.RoleRequired,
                $"{Describe(action)} needs the role {string.Join(" or ", roles)}; {actor.Name} has {(actor.Roles.Count == 0 ? "no role" : string.Join(", ", actor.Roles))}.");
        }
    }

    /// <summary>Throws unless the action may start from <paramref name="state"/>.</summary>
    public static void EnsureState(RevisionAction action, RevisionState state, string guidelineId, int revisionNumber)
    {
        var from = Table[action].From;
        if (!from.Contains(state))
        {
            var hint = state is RevisionState.Approved or RevisionState.Live or RevisionState.Superseded or RevisionState.Retired
                ? " An approved or released revision never changes; start a new draft from it instead."
                : "";
            throw new WorkflowException(WorkflowErrorCode.InvalidState,
                $"Cannot {Describe(action).ToLowerInvariant()} revision {revisionNumber} of '{guidelineId}': it is {state}, and this needs {string.Join(" or ", from)}.{hint}");
        }
    }

    /// <summary>Role first, then state.</summary>
    public static void EnsureAllowed(RevisionAction action, Actor actor, RevisionState state, string guidelineId, int revisionNumber)
    {
        EnsureRole(action, actor);
        EnsureState(action, state, guidelineId, revisionNumber);
    }

    public static string Describe(RevisionAction action) => action switch
    {
        RevisionAction.StartDraft => "Start a draft",
        RevisionAction.SaveDraft => "Save a draft",
        RevisionAction.Submit => "Submit",
        RevisionAction.StartReview => "Start the review of",
        RevisionAction.Comment => "Comment on",
        RevisionAction.RequestChanges => "Request changes to",
        RevisionAction.ResolveComment => "Resolve a comment on",
        RevisionAction.Approve => "Approve",
        RevisionAction.Revise => "Revise",
        RevisionAction.Withdraw => "Withdraw",
        RevisionAction.Publish => "Publish",
        RevisionAction.Rollback => "Roll back to",
        RevisionAction.Retire => "Retire",
        _ => action.ToString(),
    };
}
