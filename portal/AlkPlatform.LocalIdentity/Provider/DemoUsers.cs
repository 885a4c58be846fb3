namespace AlkPlatform.LocalIdentity.Provider;

/// <summary>A seeded demo user: stable object id, display name, sign-in name and Entra app roles.</summary>
public sealed record DemoUser(string ObjectId, string Name, string PreferredUsername, IReadOnlyList<string> Roles, string Description);

/// <summary>The demo board: enough people to walk a revision through review, a two-approver quorum and publish.</summary>
public static class DemoUsers
{
    public static IReadOnlyList<DemoUser> All { get; } =
    [
        new("0b5d3a61-6f0e-4c8e-9a51-1d2f3a4b5c01", "Ada Author", "ada.author@alk.example", ["Author", "Approver"], "Board member who edits revisions; can never approve her own."),
        new("0b5d3a61-6f0e-4c8e-9a51-1d2f3a4b5c02", "Rui Reviewer", "rui.reviewer@alk.example", ["Reviewer"], "Comments on statements and requests changes."),
        new("0b5d3a61-6f0e-4c8e-9a51-1d2f3a4b5c03", "Amira Approver", "amira.approver@alk.example", ["Approver", "Reviewer"], "Board member: approves content for clinical use."),
        new("0b5d3a61-6f0e-4c8e-9a51-1d2f3a4b5c04", "Ben Approver", "ben.approver@alk.example", ["Approver", "Reviewer"], "Board member: approves content for clinical use."),
        new("0b5d3a61-6f0e-4c8e-9a51-1d2f3a4b5c05", "Pia Publisher", "pia.publisher@alk.example", ["Publisher"], "Publishes approved revisions, rolls back, retires."),
        new("0b5d3a61-6f0e-4c8e-9a51-1d2f3a4b5c06", "Otto Ops", "otto.ops@alk.example", ["Ops"], "Reads the audit trail and its chain verification."),
        new("0b5d3a61-6f0e-4c8e-9a51-1d2f3a4b5c07", "Alex Admin", "alex.admin@alk.example", ["Admin"], "Everything, for support."),
        new("0b5d3a61-6f0e-4c8e-9a51-1d2f3a4b5c08", "Nora NoRole", "nora.norole@alk.example", [], "Signed in but holds no portal role: sees access denied."),
    ];

    public static DemoUser? Find(string? objectId) => All.FirstOrDefault(u => u.ObjectId == objectId);
}
