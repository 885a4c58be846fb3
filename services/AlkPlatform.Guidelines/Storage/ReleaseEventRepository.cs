using AlkPlatform.Guidelines.Releases.Signing;
using Dapper;
using Microsoft.Data.Sqlite;

namespace AlkPlatform.Guidelines.Storage;

/// <summary>The signed feed events, per guideline in sequence order; written in the transaction of the change they announce.</summary>
public sealed class ReleaseEventRepository
{
    private const string Columns = "envelope AS Envelope, key_id AS KeyId, signature AS Signature, signed_at AS SignedAt";

    private readonly SqliteConnection _connection;
    private readonly SqliteTransaction _transaction;

    internal ReleaseEventRepository(SqliteTransaction transaction)
    {
        _transaction = transaction;
        _connection = transaction.Connection!;
    }

    /// <summary>The sequence number the guideline's next event carries: one more than its latest.</summary>
    public long NextSequence(string guidelineId) =>
        _connection.ExecuteScalar<long>(
            "SELECT COALESCE(MAX(sequence), 0) + 1 FROM release_events WHERE guideline_id = @guidelineId", new { guidelineId }, _transaction);

    /// <summary>Stores the signed bytes; the columns beside them are read from the envelope those bytes parse to.</summary>
    public StoredReleaseEvent Insert(SignedReleaseEvent signedEvent, DateTimeOffset signedAt)
    {
        ArgumentNullException.ThrowIfNull(signedEvent);
        var envelope = ReleaseEventEnvelope.Parse(signedEvent.Envelope.Span);
        _connection.Execute(
            """
            INSERT INTO release_events (guideline_id, sequence, kind, release_id, envelope, key_id, signature, signed_at)
            VALUES (@GuidelineId, @Sequence, @Kind, @ReleaseId, @Envelope, @KeyId, @Signature, @signedAt)
            """,
            new
            {
                envelope.GuidelineId, envelope.Sequence, Kind = KindName(envelope.Kind), envelope.ReleaseId,
                Envelope = signedEvent.Envelope.ToArray(), signedEvent.KeyId, Signature = signedEvent.Signature.ToArray(), signedAt,
            }, _transaction);
        return new StoredReleaseEvent(signedEvent, envelope, signedAt);
    }

    public StoredReleaseEvent? Find(string guidelineId, long sequence) =>
        _connection.QuerySingleOrDefault<Row>(
            $"SELECT {Columns} FROM release_events WHERE guideline_id = @guidelineId AND sequence = @sequence",
            new { guidelineId, sequence }, _transaction)?.ToStored();

    /// <summary>Each guideline's latest event, ordered by guideline id: what the feed serves.</summary>
    public IReadOnlyList<StoredReleaseEvent> ListLatest() =>
        [.. _connection.Query<Row>(
            $"""
            SELECT {Columns} FROM release_events e
            WHERE sequence = (SELECT MAX(sequence) FROM release_events l WHERE l.guideline_id = e.guideline_id)
            ORDER BY guideline_id
            """, transaction: _transaction).Select(r => r.ToStored())];

    /// <summary>Every event, by guideline then sequence.</summary>
    public IReadOnlyList<StoredReleaseEvent> List() =>
        [.. _connection.Query<Row>($"SELECT {Columns} FROM release_events ORDER BY guideline_id, sequence", transaction: _transaction)
            .Select(r => r.ToStored())];

    /// <summary>
    /// Every event as stored, unparsed, by guideline then sequence: the audit verifier reports a row whose bytes no longer
    /// parse or disagree with its columns instead of failing on it.
    /// </summary>
    public IReadOnlyList<(string GuidelineId, long Sequence, string Kind, string ReleaseId, SignedReleaseEvent Event)> ListAsStored() =>
        [.. _connection.Query<(string GuidelineId, long Sequence, string Kind, string ReleaseId, byte[] Envelope, string KeyId, byte[] Signature)>(
                "SELECT guideline_id, sequence, kind, release_id, envelope, key_id, signature FROM release_events ORDER BY guideline_id, sequence",
                transaction: _transaction)
            .Select(r => (r.GuidelineId, r.Sequence, r.Kind, r.ReleaseId, new SignedReleaseEvent(r.Envelope, r.KeyId, r.Signature)))];

    public static string KindName(ReleaseEventKind kind) => kind.ToString().ToLowerInvariant();

    private sealed record Row(byte[] Envelope, string KeyId, byte[] Signature, DateTimeOffset SignedAt)
    {
        public StoredReleaseEvent ToStored() =>
            new(new SignedReleaseEvent(Envelope, KeyId, Signature), ReleaseEventEnvelope.Parse(Envelope), SignedAt);
    }
}
