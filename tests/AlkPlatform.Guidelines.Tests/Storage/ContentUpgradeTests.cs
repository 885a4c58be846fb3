using System.Security.Cryptography;
using System.Text.Json;
using AlkPlatform.Guidelines.Content;
using AlkPlatform.Guidelines.Releases.Signing;
using AlkPlatform.Guidelines.Storage;
using AlkPlatform.Guidelines.Workflow;
using Dapper;
using Microsoft.Data.Sqlite;

namespace AlkPlatform.Guidelines.Tests.Storage;

/// <summary>A content database written under the first schema, as an earlier portal left it, opened by this build.</summary>
public sealed class ContentUpgradeTests : IDisposable
{
    private const string Guideline = "alk-lbcl";
    private const string SavedAt = "2026-11-30T08:15:00.0000000+00:00";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "alk-upgrade-" + Guid.NewGuid().ToString("N"));
    private readonly string _path;

    public ContentUpgradeTests()
    {
        _path = Path.Combine(_directory, "content.db");
        SqliteDatabase.Open(_path, SqliteDatabase.ContentScripts + "0001");
        var seed = SeedGuideline.Load();
        using var connection = new SqliteConnection($"Data Source={_path};Pooling=False");
        connection.Open();
        connection.Execute("INSERT INTO guidelines (guideline_id, title, created_at) VALUES (@Guideline, @title, @SavedAt)",
            new { Guideline, title = seed.Title, SavedAt });
        var current = Canonical(seed with { ChangeSummary = "save 3" });
        connection.Execute(
            """
            INSERT INTO revisions (guideline_id, revision_number, state, content, content_hash, author_id, author_name, created_at,
                                   row_version, last_saved_by_id, last_saved_by_name, last_saved_at, state_changed_at)
            VALUES (@Guideline, 1, 'Draft', @current, @hash, 'bob', 'Bob Author', @SavedAt, 3, 'bob', 'Bob Author', @SavedAt, @SavedAt)
            """, new { Guideline, current, hash = GuidelineJson.ComputeHash(current), SavedAt });
        // A draft saved three times, the last save by Bob; the old schema called the save counter row_version.
        for (var save = 1; save <= 3; save++)
        {
            connection.Execute(
                """
                INSERT INTO revision_saves (guideline_id, revision_number, row_version, saved_by_id, saved_by_name, saved_at, content)
                VALUES (@Guideline, 1, @save, 'bob', 'Bob Author', @SavedAt, @content)
                """,
                new { Guideline, save, SavedAt, content = Canonical(seed with { ChangeSummary = $"save {save}" }) });
        }
        // The audit entry as the earlier build hashed it: its time in the stored text form.
        object?[] fields = [1L, SavedAt, "bob", "Bob Author", AuditActions.DraftSaved, Guideline, 1, null, null, AuditTrail.GenesisHash];
        var entryHash = Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(fields)));
        connection.Execute(
            """
            INSERT INTO audit_entries (sequence, at, actor_id, actor_name, action, guideline_id, revision_number, previous_hash, entry_hash)
            VALUES (1, @SavedAt, 'bob', 'Bob Author', @action, @Guideline, 1, @genesis, @entryHash);
            INSERT INTO audit_head (id, sequence, entry_hash) VALUES (1, 1, @entryHash);
            """, new { SavedAt, action = AuditActions.DraftSaved, Guideline, genesis = AuditTrail.GenesisHash, entryHash });
    }

    [Fact]
    public void Open_DatabaseFromTheFirstSchema_KeepsItsSaveNumbersAndItsAuditChain()
    {
        using var key = ReleaseSigningKey.Generate();
        var workflow = GuidelineWorkflow.Open(_path, TimeProvider.System, key);
        var bob = Actor.Create("bob", "Bob Author", Role.Author);

        var draft = workflow.GetRevision(Guideline, 1);
        var stale = Assert.Throws<EditConflictException>(() => workflow.SaveDraft(bob, Guideline, 1, draft.Content, expectedSaveNumber: 2));
        var saved = workflow.SaveDraft(bob, Guideline, 1, draft.Content with { ChangeSummary = "save 4" }, draft.SaveNumber);

        Assert.Equal(3, draft.SaveNumber);
        Assert.Equal(DateTimeOffset.Parse(SavedAt, System.Globalization.CultureInfo.InvariantCulture), draft.LastSavedAt);
        Assert.Equal(["changeSummary changed"], stale.ChangesSince);
        Assert.Equal(4, saved.SaveNumber);
        var verification = workflow.VerifyAuditTrail();
        Assert.True(verification.IsIntact, verification.Problem);
        Assert.Equal(2, verification.EntriesChecked);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open only leaks a temp directory; it must not fail the test.
        }
    }

    private static byte[] Canonical(GuidelineContent content) => GuidelineJson.ToCanonicalUtf8(content);
}
