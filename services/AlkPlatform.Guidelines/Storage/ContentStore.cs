using AlkPlatform.Guidelines.Releases;
using AlkPlatform.Guidelines.Workflow;

namespace AlkPlatform.Guidelines.Storage;

/// <summary>
/// The portal's content database: guidelines, revisions with their save history, reviews, releases, the live pointer and
/// the audit trail. Each operation gets one connection and one transaction, handed to it as a <see cref="ContentTransaction"/>.
/// </summary>
public sealed class ContentStore
{
    public SqliteDatabase Database { get; }

    private ContentStore(SqliteDatabase database) => Database = database;

    /// <summary>Opens (creating and migrating if needed) the content database; a fresh one is seeded with the bundled guideline.</summary>
    public static ContentStore Open(string path, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        var store = new ContentStore(SqliteDatabase.Open(path, SqliteDatabase.ContentScripts));
        store.SeedIfEmpty(time.GetUtcNow());
        return store;
    }

    /// <summary>
    /// Runs <paramref name="work"/> in one write transaction, taken immediately so its checks and writes see one state;
    /// it commits when <paramref name="work"/> returns and rolls back when it throws.
    /// </summary>
    public T Write<T>(Func<ContentTransaction, T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        using var connection = Database.OpenConnection();
        using var transaction = connection.BeginTransaction(deferred: false);
        var result = work(new ContentTransaction(transaction));
        transaction.Commit();
        return result;
    }

    /// <summary>Runs <paramref name="work"/> on one snapshot of the database: no commit can change what it reads halfway.</summary>
    public T Read<T>(Func<ContentTransaction, T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        using var connection = Database.OpenConnection();
        using var transaction = connection.BeginTransaction(deferred: true);
        return work(new ContentTransaction(transaction));
    }

    /// <summary>A fresh store starts with the bundled seed as revision 1, live, released exactly as the service bundles it.</summary>
    private void SeedIfEmpty(DateTimeOffset now) => Write(tx =>
    {
        if (tx.Guidelines.Any())
        {
            return false;
        }
        var release = BundledSeedRelease.Create();
        var content = release.Verify();
        var bootstrap = Actor.Bootstrap;
        tx.Guidelines.Insert(content.GuidelineId, content.Title, release.PublishedAt);
        var revision = tx.Revisions.Insert(content.GuidelineId, 1, RevisionState.Live, content, null, bootstrap, release.PublishedAt);
        tx.Revisions.RecordSubmittedHash(content.GuidelineId, 1, revision.ContentHash);
        tx.Reviews.InsertApproval(content.GuidelineId, 1,
            new RevisionApproval(bootstrap.Id, bootstrap.Name, release.ApprovedAt, BundledSeedRelease.ApprovalBasis, release.ContentHash));
        tx.Releases.Insert(release);
        tx.Releases.SetLive(content.GuidelineId, release.ReleaseId, release.PublishedAt);
        tx.Audit.Append(new AuditRecord(bootstrap, AuditActions.BootstrapSeeded, content.GuidelineId, 1, revision.ContentHash,
            $"{BundledSeedRelease.ApprovalBasis}; release {release.ReleaseId}"), now);
        return true;
    });
}
