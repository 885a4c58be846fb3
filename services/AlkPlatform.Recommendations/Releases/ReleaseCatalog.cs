using System.Collections.Immutable;
using AlkPlatform.Guidelines.Storage;

namespace AlkPlatform.Recommendations.Releases;

/// <summary>Everything served at one instant. A request reads one snapshot, so it never sees a mix of two releases.</summary>
public sealed record CatalogSnapshot(
    ImmutableSortedDictionary<string, LiveRelease> Live,
    ImmutableSortedDictionary<string, RetiredGuideline> Retired)
{
    public static readonly CatalogSnapshot Empty = new(
        ImmutableSortedDictionary<string, LiveRelease>.Empty.WithComparers(StringComparer.Ordinal),
        ImmutableSortedDictionary<string, RetiredGuideline>.Empty.WithComparers(StringComparer.Ordinal));
}

/// <summary>The releases being served, swapped atomically as new ones arrive.</summary>
public sealed class ReleaseCatalog
{
    private readonly Lock _writeGate = new();
    private volatile CatalogSnapshot _current = CatalogSnapshot.Empty;

    public CatalogSnapshot Current => _current;

    public void Activate(LiveRelease release)
    {
        lock (_writeGate)
        {
            var current = _current;
            _current = current with
            {
                Live = current.Live.SetItem(release.Release.GuidelineId, release),
                Retired = current.Retired.Remove(release.Release.GuidelineId),
            };
        }
    }

    public void Retire(RetiredGuideline retired)
    {
        lock (_writeGate)
        {
            var current = _current;
            _current = current with
            {
                Live = current.Live.Remove(retired.GuidelineId),
                Retired = current.Retired.SetItem(retired.GuidelineId, retired),
            };
        }
    }
}
