using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using AlkPlatform.Guidelines.Releases;
using AlkPlatform.Guidelines.Workflow;

namespace AlkPlatform.Guidelines.Storage;

/// <summary>
/// The portal's content database: guidelines, revisions with their save history, reviews, releases, the live pointer and
/// the audit trail. Each operation gets one connection and one transaction, handed to it as a <see cref="ContentTransaction"/>.
/// </summary>
public sealed class ContentStore
{
    /// <summary>The ActivitySource and Meter of content writes: one span and one count per write transaction, named after the workflow step.</summary>
    public const string TelemetryName = "AlkPlatform.Guidelines.Storage";

    private static readonly ActivitySource Activities = new(TelemetryName);
    // Static: the store is opened by the domain, outside any service container; without a listener both cost nothing.
    private static readonly Meter Meter = new(TelemetryName);
    private static readonly Counter<long> Writes = Meter.CreateCounter<long>("alk.content.writes", "{transaction}",
        "Content database write transactions by workflow step (db.operation.name) and outcome");

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
    /// <param name="operation">The workflow step, e.g. <c>Approve</c> or <c>Publish</c>: the span's and the count's name for it.</param>
    public T Write<T>(Func<ContentTransaction, T> work, [CallerMemberName] string operation = "")
    {
        ArgumentNullException.ThrowIfNull(work);
        using var activity = Activities.StartActivity($"{operation} content.db");
        activity?.SetTag("db.system.name", "sqlite");
        activity?.SetTag("db.namespace", "content.db");
        activity?.SetTag("db.operation.name", operation);
        try
        {
            using var connection = Database.OpenConnection();
            using var transaction = connection.BeginTransaction(deferred: false);
            var result = work(new ContentTransaction(transaction));
            transaction.Commit();
            Writes.Add(1, new KeyValuePair<string, object?>("db.operation.name", operation), new KeyValuePair<string, object?>("alk.outcome", "committed"));
            return result;
        }
        catch (Exception ex)
        {
            // The type only: a refusal's message can quote what the user typed.
            activity?.SetStatus(ActivityStatusCode.Error);
            activity?.SetTag("error.type", ex.GetType().FullName);
            Writes.Add(1, new KeyValuePair<string, object?>("db.operation.name", operation), new KeyValuePair<string, object?>("alk.outcome", "rolled_back"));
            throw;
        }
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
