using AlkPlatform.Contracts.Ops.V1;
using AlkPlatform.Portal.Ops;

namespace AlkPlatform.Portal.Pages.Ops;

/// <summary>
/// One page of the evaluation log across replicas: the newest <c>size</c> records of all the replicas' pages, newest first,
/// each with the replica it came from, and where each replica's next page starts.
/// </summary>
public sealed record MergedLogPage(IReadOnlyList<ReplicaAnswer<EvaluationLogRecord>> Records, MergedLogCursor Next, bool HasMore)
{
    /// <param name="pages">Each answering replica's records after its position (up to <paramref name="size"/> of them).</param>
    /// <param name="cursor">The position this page started from; replicas that did not answer keep theirs.</param>
    public static MergedLogPage Merge(IReadOnlyList<ReplicaAnswer<ReplicaLogPage>> pages, MergedLogCursor cursor, int size)
    {
        ArgumentNullException.ThrowIfNull(pages);
        ArgumentNullException.ThrowIfNull(cursor);
        // Newest first; equal times keep each replica's own order, replicas in name order.
        var shown = pages
            .SelectMany(p => p.Value.Records.Select(r => new ReplicaAnswer<EvaluationLogRecord>(p.Replica, r)))
            .OrderByDescending(r => r.Value.OccurredAt?.ToDateTimeOffset() ?? DateTimeOffset.MinValue)
            .ThenBy(r => r.Replica.Name, StringComparer.Ordinal)
            .Take(size)
            .ToList();
        var positions = new Dictionary<string, ReplicaPosition>(cursor.Replicas, StringComparer.Ordinal);
        foreach (var page in pages)
        {
            var count = shown.Count(r => r.Replica == page.Replica);
            var (start, records) = (page.Value.From, page.Value.Records);
            positions[page.Replica.Name] = start.Done ? start
                : count < records.Count ? start with { Skip = start.Skip + count }
                : new ReplicaPosition(page.Value.NextPageToken, 0, page.Value.NextPageToken.Length == 0);
        }
        var before = shown.Count > 0 ? shown[^1].Value.OccurredAt.ToDateTimeOffset() : cursor.Before;
        return new MergedLogPage(shown, new MergedLogCursor(positions, before), positions.Values.Any(p => !p.Done));
    }
}
