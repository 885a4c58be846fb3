using System.Runtime.CompilerServices;
using System.Threading.Channels;
using AlkPlatform.Guidelines.Storage;

namespace AlkPlatform.Guidelines.Releases;

/// <summary>
/// In-process source for the release feed: the live releases now, and every change after. The workflow
/// announces changes after they are committed; a gRPC feed server streams <see cref="WatchAsync"/> to subscribers.
/// </summary>
public sealed class ReleaseFeedHub
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Release> _live = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RetiredGuideline> _retired = new(StringComparer.Ordinal);
    private readonly List<Channel<ReleaseFeedEvent>> _subscribers = [];

    public ReleaseFeedHub(IEnumerable<Release> live, IEnumerable<RetiredGuideline> retired)
    {
        foreach (var release in live)
        {
            _live[release.GuidelineId] = release;
        }
        foreach (var guideline in retired)
        {
            _retired[guideline.GuidelineId] = guideline;
        }
    }

    /// <summary>The live release of each guideline, ordered by guideline id.</summary>
    public IReadOnlyList<Release> LiveReleases
    {
        get
        {
            lock (_gate)
            {
                return [.. _live.Values.OrderBy(r => r.GuidelineId, StringComparer.Ordinal)];
            }
        }
    }

    public IReadOnlyList<RetiredGuideline> RetiredGuidelines
    {
        get
        {
            lock (_gate)
            {
                return [.. _retired.Values.OrderBy(r => r.GuidelineId, StringComparer.Ordinal)];
            }
        }
    }

    public int SubscriberCount
    {
        get
        {
            lock (_gate)
            {
                return _subscribers.Count;
            }
        }
    }

    /// <summary>
    /// Yields every live release and retired guideline, then <see cref="SnapshotCompleted"/>, then each change until cancelled.
    /// Snapshot and subscription are taken under one lock, so no change falls between them.
    /// </summary>
    public async IAsyncEnumerable<ReleaseFeedEvent> WatchAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var channel = Channel.CreateUnbounded<ReleaseFeedEvent>(new UnboundedChannelOptions { SingleReader = true });
        List<ReleaseFeedEvent> snapshot;
        lock (_gate)
        {
            snapshot =
            [
                .. _live.Values.OrderBy(r => r.GuidelineId, StringComparer.Ordinal).Select(r => new ReleaseWentLive(r)),
                .. _retired.Values.OrderBy(r => r.GuidelineId, StringComparer.Ordinal).Select(r => new GuidelineWasRetired(r)),
            ];
            _subscribers.Add(channel);
        }
        try
        {
            foreach (var item in snapshot)
            {
                yield return item;
            }
            yield return new SnapshotCompleted();
            await foreach (var change in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return change;
            }
        }
        finally
        {
            lock (_gate)
            {
                _subscribers.Remove(channel);
            }
        }
    }

    /// <summary>Announces a release that went live (publish or rollback); it replaces the guideline's previous one.</summary>
    public void Announce(Release release)
    {
        ArgumentNullException.ThrowIfNull(release);
        lock (_gate)
        {
            _live[release.GuidelineId] = release;
            _retired.Remove(release.GuidelineId);
            Broadcast(new ReleaseWentLive(release));
        }
    }

    /// <summary>Announces that a guideline went offline.</summary>
    public void AnnounceRetired(RetiredGuideline guideline)
    {
        ArgumentNullException.ThrowIfNull(guideline);
        lock (_gate)
        {
            _live.Remove(guideline.GuidelineId);
            _retired[guideline.GuidelineId] = guideline;
            Broadcast(new GuidelineWasRetired(guideline));
        }
    }

    private void Broadcast(ReleaseFeedEvent change)
    {
        foreach (var subscriber in _subscribers)
        {
            subscriber.Writer.TryWrite(change);
        }
    }
}
