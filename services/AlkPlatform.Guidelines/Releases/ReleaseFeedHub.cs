using System.Runtime.CompilerServices;
using System.Threading.Channels;
using AlkPlatform.Guidelines.Releases.Signing;
using AlkPlatform.Guidelines.Storage;

namespace AlkPlatform.Guidelines.Releases;

/// <summary>
/// In-process source for the release feed: each guideline's latest signed event now, and every change after. The workflow
/// announces changes after they are committed; a gRPC feed server streams <see cref="WatchAsync"/> to subscribers.
/// </summary>
public sealed class ReleaseFeedHub
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ReleaseWentLive> _live = new(StringComparer.Ordinal);
    private readonly Dictionary<string, GuidelineWasRetired> _retired = new(StringComparer.Ordinal);
    private readonly List<Channel<ReleaseFeedEvent>> _subscribers = [];

    /// <summary>Starts from each guideline's latest signed event: what it served before a restart, with the same signature.</summary>
    public ReleaseFeedHub(IEnumerable<ReleaseFeedEvent> latest)
    {
        ArgumentNullException.ThrowIfNull(latest);
        foreach (var change in latest)
        {
            switch (change)
            {
                case ReleaseWentLive live:
                    _live[live.Release.GuidelineId] = live;
                    _retired.Remove(live.Release.GuidelineId);
                    break;
                case GuidelineWasRetired retired:
                    _retired[retired.Guideline.GuidelineId] = retired;
                    _live.Remove(retired.Guideline.GuidelineId);
                    break;
                default:
                    throw new ArgumentException($"A snapshot holds releases and retirements, not {change.GetType().Name}.", nameof(latest));
            }
        }
    }

    /// <summary>The live release of each guideline, ordered by guideline id.</summary>
    public IReadOnlyList<Release> LiveReleases
    {
        get
        {
            lock (_gate)
            {
                return [.. _live.Values.Select(l => l.Release).OrderBy(r => r.GuidelineId, StringComparer.Ordinal)];
            }
        }
    }

    public IReadOnlyList<RetiredGuideline> RetiredGuidelines
    {
        get
        {
            lock (_gate)
            {
                return [.. _retired.Values.Select(r => r.Guideline).OrderBy(r => r.GuidelineId, StringComparer.Ordinal)];
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
                .. _live.Values.OrderBy(l => l.Release.GuidelineId, StringComparer.Ordinal),
                .. _retired.Values.OrderBy(r => r.Guideline.GuidelineId, StringComparer.Ordinal),
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

    /// <summary>Announces a release that went live (publish or rollback) with its signed event; it replaces the guideline's previous one.</summary>
    public void Announce(Release release, SignedReleaseEvent signedEvent)
    {
        ArgumentNullException.ThrowIfNull(release);
        ArgumentNullException.ThrowIfNull(signedEvent);
        var change = new ReleaseWentLive(release, signedEvent);
        lock (_gate)
        {
            _live[release.GuidelineId] = change;
            _retired.Remove(release.GuidelineId);
            Broadcast(change);
        }
    }

    /// <summary>Announces that a guideline went offline, with its signed retirement.</summary>
    public void AnnounceRetired(RetiredGuideline guideline, SignedReleaseEvent signedEvent)
    {
        ArgumentNullException.ThrowIfNull(guideline);
        ArgumentNullException.ThrowIfNull(signedEvent);
        var change = new GuidelineWasRetired(guideline, signedEvent);
        lock (_gate)
        {
            _live.Remove(guideline.GuidelineId);
            _retired[guideline.GuidelineId] = change;
            Broadcast(change);
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
