namespace AlkPlatform.Recommendations.EvaluationLogs;

/// <summary>
/// Card sets by their cards JSON, held by the writer's thread only. Sets found or stored in the batch being written
/// are pending until it commits, so a rolled-back batch never leaves an id in the cache that the database lacks.
/// Looked up by the encoded span itself (no copy per record); a key is copied only when it is added.
/// </summary>
internal sealed class CardSetCache
{
    private const int MaxEntries = 4096;
    private readonly Dictionary<byte[], long> _committed = new(Utf8KeyComparer.Instance);
    private readonly Dictionary<byte[], long> _pending = new(Utf8KeyComparer.Instance);
    private readonly Dictionary<byte[], long>.AlternateLookup<ReadOnlySpan<byte>> _committedBySpan;
    private readonly Dictionary<byte[], long>.AlternateLookup<ReadOnlySpan<byte>> _pendingBySpan;

    public CardSetCache()
    {
        _committedBySpan = _committed.GetAlternateLookup<ReadOnlySpan<byte>>();
        _pendingBySpan = _pending.GetAlternateLookup<ReadOnlySpan<byte>>();
    }

    public bool TryGet(ReadOnlySpan<byte> json, out long id) =>
        _committedBySpan.TryGetValue(json, out id) || _pendingBySpan.TryGetValue(json, out id);

    public void AddPending(ReadOnlySpan<byte> json, long id) => _pendingBySpan[json] = id;

    public void CommitPending()
    {
        if (_committed.Count + _pending.Count > MaxEntries)
        {
            // Sets accumulate across releases; the database keeps them all, the cache only the recent ones.
            _committed.Clear();
        }
        foreach (var (json, id) in _pending)
        {
            _committed[json] = id;
        }
        _pending.Clear();
    }

    public void DiscardPending() => _pending.Clear();

    /// <summary>Byte-array keys compared by content, and looked up by a span of bytes without copying it.</summary>
    private sealed class Utf8KeyComparer : IEqualityComparer<byte[]>, IAlternateEqualityComparer<ReadOnlySpan<byte>, byte[]>
    {
        public static readonly Utf8KeyComparer Instance = new();

        public bool Equals(byte[]? x, byte[]? y) => x is null ? y is null : y is not null && x.AsSpan().SequenceEqual(y);

        public int GetHashCode(byte[] key) => GetHashCode((ReadOnlySpan<byte>)key);

        public bool Equals(ReadOnlySpan<byte> alternate, byte[] other) => alternate.SequenceEqual(other);

        public int GetHashCode(ReadOnlySpan<byte> alternate)
        {
            var hash = new HashCode();
            hash.AddBytes(alternate);
            return hash.ToHashCode();
        }

        public byte[] Create(ReadOnlySpan<byte> alternate) => alternate.ToArray();
    }
}
