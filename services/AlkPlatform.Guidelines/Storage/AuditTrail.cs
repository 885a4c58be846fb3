using System.Security.Cryptography;
using System.Text.Json;
using AlkPlatform.Guidelines.Releases.Signing;
using AlkPlatform.Guidelines.Workflow;
using Dapper;
using Microsoft.Data.Sqlite;

namespace AlkPlatform.Guidelines.Storage;

/// <summary>
/// The append-only audit trail. Each entry's hash covers its fields and the previous entry's hash, and the head is kept
/// apart, so editing, deleting or reordering any entry (the last one included) breaks the chain at a findable place.
/// </summary>
public sealed class AuditTrail
{
    public const string GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

    private const string Select =
        """
        SELECT sequence AS Sequence, at AS At, actor_id AS ActorId, actor_name AS ActorName, action AS Action,
               guideline_id AS GuidelineId, revision_number AS RevisionNumber, content_hash AS ContentHash,
               reason AS Reason, previous_hash AS PreviousHash, entry_hash AS EntryHash
        FROM audit_entries
        """;

    private readonly SqliteConnection _connection;
    private readonly SqliteTransaction _transaction;

    internal AuditTrail(SqliteTransaction transaction)
    {
        _transaction = transaction;
        _connection = transaction.Connection!;
    }

    /// <summary>Appends in this transaction, so an action and its record commit together or not at all.</summary>
    public AuditEntry Append(AuditRecord record, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(record);
        var head = ReadHead();
        var entry = new AuditEntry
        {
            Sequence = (head?.Sequence ?? 0) + 1,
            At = at,
            ActorId = record.Actor.Id,
            ActorName = record.Actor.Name,
            Action = record.Action,
            GuidelineId = record.GuidelineId,
            RevisionNumber = record.RevisionNumber,
            ContentHash = record.ContentHash,
            Reason = record.Reason,
            PreviousHash = head?.EntryHash ?? GenesisHash,
            EntryHash = "",
        };
        entry = entry with { EntryHash = ComputeHash(entry) };
        _connection.Execute(
            """
            INSERT INTO audit_entries (sequence, at, actor_id, actor_name, action, guideline_id, revision_number, content_hash,
                                       reason, previous_hash, entry_hash)
            VALUES (@Sequence, @At, @ActorId, @ActorName, @Action, @GuidelineId, @RevisionNumber, @ContentHash,
                    @Reason, @PreviousHash, @EntryHash);
            INSERT INTO audit_head (id, sequence, entry_hash) VALUES (1, @Sequence, @EntryHash)
            ON CONFLICT (id) DO UPDATE SET sequence = excluded.sequence, entry_hash = excluded.entry_hash;
            """,
            entry, _transaction);
        return entry;
    }

    /// <summary>The chain's head as recorded: the last entry's sequence and hash (0 and <see cref="GenesisHash"/> for an empty trail).</summary>
    public AuditChainHead Head() => ReadHead() is { } head ? new AuditChainHead(head.Sequence, head.EntryHash) : new AuditChainHead(0, GenesisHash);

    /// <summary>The entry at <paramref name="sequence"/>, if the chain has one.</summary>
    public AuditEntry? Find(long sequence) =>
        _connection.QuerySingleOrDefault<Row>($"{Select} WHERE sequence = @sequence", new { sequence }, _transaction)?.ToEntry();

    /// <summary>Entries in order, optionally for one guideline.</summary>
    public IReadOnlyList<AuditEntry> Read(string? guidelineId = null) =>
        [.. _connection.Query<Row>($"{Select} WHERE @guidelineId IS NULL OR guideline_id = @guidelineId ORDER BY sequence",
            new { guidelineId }, _transaction).Select(r => r.ToEntry())];

    /// <summary>Walks the whole chain and reports the first entry whose link or content does not check out.</summary>
    public AuditVerification Verify()
    {
        var entries = Read();
        var head = ReadHead();
        var previous = GenesisHash;
        long expectedSequence = 1;
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            if (entry.Sequence != expectedSequence)
            {
                return Broken(i, expectedSequence, $"entry {expectedSequence} is missing (next present is {entry.Sequence})");
            }
            if (entry.PreviousHash != previous)
            {
                return Broken(i, entry.Sequence, "its link to the previous entry does not match (an entry before it was changed or removed)");
            }
            if (ComputeHash(entry) != entry.EntryHash)
            {
                return Broken(i, entry.Sequence, "its content does not match its hash (the entry was edited)");
            }
            previous = entry.EntryHash;
            expectedSequence++;
        }
        var last = entries.Count == 0 ? 0 : entries[^1].Sequence;
        if ((head?.Sequence ?? 0) != last || (head?.EntryHash ?? GenesisHash) != previous)
        {
            return Broken(entries.Count, last + 1, $"the trail ends at entry {last} but its head records entry {head?.Sequence ?? 0} (entries were removed from the end)");
        }
        return new AuditVerification(true, entries.Count, null, null);
    }

    /// <summary>
    /// SHA-256 over a JSON array of every field but the entry's own hash; JSON keeps field boundaries unambiguous. The time is
    /// hashed in the one stored text form, which is how every build has written it, so earlier entries still verify.
    /// </summary>
    public static string ComputeHash(AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var fields = JsonSerializer.SerializeToUtf8Bytes(new object?[]
        {
            entry.Sequence, DateTimeOffsetHandler.ToText(entry.At), entry.ActorId, entry.ActorName, entry.Action, entry.GuidelineId,
            entry.RevisionNumber, entry.ContentHash, entry.Reason, entry.PreviousHash,
        });
        return Convert.ToHexStringLower(SHA256.HashData(fields));
    }

    private (long Sequence, string EntryHash)? ReadHead() =>
        _connection.QuerySingleOrDefault<(long Sequence, string EntryHash)?>(
            "SELECT sequence, entry_hash FROM audit_head WHERE id = 1", transaction: _transaction);

    private static AuditVerification Broken(int checkedCount, long sequence, string problem) =>
        new(false, checkedCount, sequence, $"Audit entry {sequence}: {problem}.");

    private sealed record Row(
        long Sequence, DateTimeOffset At, string ActorId, string ActorName, string Action, string GuidelineId, long? RevisionNumber,
        string? ContentHash, string? Reason, string PreviousHash, string EntryHash)
    {
        public AuditEntry ToEntry() => new()
        {
            Sequence = Sequence,
            At = At,
            ActorId = ActorId,
            ActorName = ActorName,
            Action = Action,
            GuidelineId = GuidelineId,
            RevisionNumber = RevisionNumber is { } n ? (int)n : null,
            ContentHash = ContentHash,
            Reason = Reason,
            PreviousHash = PreviousHash,
            EntryHash = EntryHash,
        };
    }
}
