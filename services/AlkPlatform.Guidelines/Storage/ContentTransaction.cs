using Microsoft.Data.Sqlite;

namespace AlkPlatform.Guidelines.Storage;

/// <summary>
/// One open transaction on the content database and the operations that run in it, one repository per table group.
/// Everything done through one instance commits together or not at all; it lives only as long as the call that received it.
/// </summary>
public sealed class ContentTransaction
{
    internal ContentTransaction(SqliteTransaction transaction)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        Guidelines = new GuidelineRepository(transaction);
        Revisions = new RevisionRepository(transaction);
        Reviews = new ReviewRepository(transaction);
        Releases = new ReleaseRepository(transaction);
        ReleaseEvents = new ReleaseEventRepository(transaction);
        Audit = new AuditTrail(transaction);
    }

    public GuidelineRepository Guidelines { get; }

    public RevisionRepository Revisions { get; }

    public ReviewRepository Reviews { get; }

    public ReleaseRepository Releases { get; }

    public ReleaseEventRepository ReleaseEvents { get; }

    public AuditTrail Audit { get; }
}
