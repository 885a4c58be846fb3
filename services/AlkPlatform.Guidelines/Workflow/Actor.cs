namespace AlkPlatform.Guidelines.Workflow;

/// <summary>The person performing an action, as the audit trail records them.</summary>
public sealed record Actor(string Id, string Name, IReadOnlySet<Role> Roles)
{
    /// <summary>The actor that records the bundled seed as the first live revision of a fresh store.</summary>
    public static readonly Actor Bootstrap = new("system:bootstrap", "Bootstrap (bundled seed, not a board member)", new HashSet<Role>());

    /// <summary>The actor that performs scheduled go-lives on behalf of the publisher who scheduled them.</summary>
    public static readonly Actor Scheduler = new("system:scheduler", "Scheduled go-live", new HashSet<Role> { Role.Publisher });

    /// <summary>The actor that signs, when the store is opened, what is served but has no signed event yet (an older database, the seed).</summary>
    public static readonly Actor StartUp = new("system:start-up", "Portal start-up (signs what is live)", new HashSet<Role>());

    public static Actor Create(string id, string name, params Role[] roles) => new(id, name, new HashSet<Role>(roles));

    public bool Has(Role role) => Roles.Contains(role);

    public override string ToString() => $"{Name} ({Id})";
}
