using System.Text.Json;
using AlkPlatform.Guidelines.Content;
using DiffPlex.Chunkers;
using DiffPlex.DiffBuilder;
using DiffPlex.DiffBuilder.Model;

namespace AlkPlatform.Guidelines.Diffs;

/// <summary>Compares two revisions' content with DiffPlex: statements word by word, structured items as JSON lines.</summary>
public static class RevisionDiffer
{
    private static readonly JsonSerializerOptions Indented = new(GuidelineJson.Options) { WriteIndented = true };

    public static RevisionDiff Compare(GuidelineContent before, GuidelineContent after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        return new RevisionDiff(
            GuidelineJson.ComputeHash(before),
            GuidelineJson.ComputeHash(after),
            CompareMetadata(before, after),
            CompareItems(before.Sections, after.Sections, s => s.Id, s => s with { Statements = [] }),
            CompareStatements(before, after),
            CompareItems(before.References, after.References, r => r.Number.ToString(System.Globalization.CultureInfo.InvariantCulture), r => r),
            CompareItems(before.Facts, after.Facts, f => f.Id, f => f),
            CompareItems(before.Rules, after.Rules, r => r.Id, r => r),
            CompareItems(before.Scenarios, after.Scenarios, s => s.Id, s => s),
            CompareItems(LexiconItems(before.Lexicon), LexiconItems(after.Lexicon), i => i.Id, i => i.Shown),
            CompareItems(before.Questions ?? [], after.Questions ?? [], q => q.Id, q => q));
    }

    /// <summary>The lexicon as reviewable items: each concept by id, the generic words and the subject as one item each.</summary>
    private static List<(string Id, object Shown)> LexiconItems(Lexicon? lexicon)
    {
        if (lexicon is null)
        {
            return [];
        }
        List<(string, object)> items = [.. lexicon.Concepts.Select(c => ($"concept '{c.Id}'", (object)c))];
        items.Add(("generic words", lexicon.GenericWords));
        if (lexicon.Subject is { } subject)
        {
            items.Add(("subject", subject));
        }
        return items;
    }

    /// <summary>Word-level diff of two texts.</summary>
    public static IReadOnlyList<DiffPiece> Words(string before, string after) => Pieces(before, after, WordChunker.Instance);

    /// <summary>Line-level diff of two texts.</summary>
    public static IReadOnlyList<DiffPiece> Lines(string before, string after) => Pieces(before, after, LineChunker.Instance);

    private static List<FieldChange> CompareMetadata(GuidelineContent before, GuidelineContent after)
    {
        var changes = new List<FieldChange>();
        void Field(string name, string? a, string? b)
        {
            if (!string.Equals(a, b, StringComparison.Ordinal))
            {
                changes.Add(new FieldChange(name, a, b));
            }
        }
        Field("guidelineId", before.GuidelineId, after.GuidelineId);
        Field("title", before.Title, after.Title);
        Field("question", before.Question, after.Question);
        Field("versionLabel", before.VersionLabel, after.VersionLabel);
        Field("changeSummary", before.ChangeSummary, after.ChangeSummary);
        Field("lastUpdated", before.LastUpdated, after.LastUpdated);
        Field("literatureCurrentThrough", before.LiteratureCurrentThrough, after.LiteratureCurrentThrough);
        Field("nextReviewDue", before.NextReviewDue, after.NextReviewDue);
        Field("disclaimer", before.Disclaimer, after.Disclaimer);
        Field("boardNotes", string.Join("\n", before.BoardNotes), string.Join("\n", after.BoardNotes));
        return changes;
    }

    private static List<StatementChange> CompareStatements(GuidelineContent before, GuidelineContent after)
    {
        var beforeById = Located(before);
        var afterById = Located(after);
        var changes = new List<StatementChange>();
        foreach (var (id, (section, statement)) in afterById)
        {
            if (!beforeById.TryGetValue(id, out var old))
            {
                changes.Add(new StatementChange(id, section, ChangeKind.Added, Words("", statement.Text), []));
                continue;
            }
            var fields = new List<FieldChange>();
            if (old.Section != section)
            {
                fields.Add(new FieldChange("section", old.Section, section));
            }
            var oldKeywords = string.Join(", ", old.Statement.Keywords ?? []);
            var newKeywords = string.Join(", ", statement.Keywords ?? []);
            if (oldKeywords != newKeywords)
            {
                fields.Add(new FieldChange("keywords", oldKeywords, newKeywords));
            }
            var oldCitations = string.Join(", ", old.Statement.Citations);
            var newCitations = string.Join(", ", statement.Citations);
            if (oldCitations != newCitations)
            {
                fields.Add(new FieldChange("citations", oldCitations, newCitations));
            }
            foreach (var audience in old.Statement.AudienceText.Keys.Union(statement.AudienceText.Keys).Order(StringComparer.Ordinal))
            {
                var a = old.Statement.AudienceText.GetValueOrDefault(audience);
                var b = statement.AudienceText.GetValueOrDefault(audience);
                if (a != b)
                {
                    fields.Add(new FieldChange($"audienceText.{audience}", a, b));
                }
            }
            if (old.Statement.Text != statement.Text || fields.Count > 0)
            {
                changes.Add(new StatementChange(id, section, ChangeKind.Modified, Words(old.Statement.Text, statement.Text), fields));
            }
        }
        foreach (var (id, (section, statement)) in beforeById.Where(p => !afterById.ContainsKey(p.Key)))
        {
            changes.Add(new StatementChange(id, section, ChangeKind.Removed, Words(statement.Text, ""), []));
        }
        return changes;
    }

    private static Dictionary<string, (string Section, Statement Statement)> Located(GuidelineContent content)
    {
        var result = new Dictionary<string, (string, Statement)>(StringComparer.Ordinal);
        foreach (var section in content.Sections)
        {
            foreach (var statement in section.Statements)
            {
                result.TryAdd(statement.Id, (section.Id, statement));
            }
        }
        return result;
    }

    private static List<ItemChange> CompareItems<T, TShown>(
        IReadOnlyList<T> before, IReadOnlyList<T> after, Func<T, string> id, Func<T, TShown> shown)
    {
        var beforeById = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in before)
        {
            beforeById.TryAdd(id(item), Json(shown(item)));
        }
        var changes = new List<ItemChange>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in after)
        {
            var key = id(item);
            if (!seen.Add(key))
            {
                continue;
            }
            var json = Json(shown(item));
            if (!beforeById.TryGetValue(key, out var old))
            {
                changes.Add(new ItemChange(key, ChangeKind.Added, Lines("", json)));
            }
            else if (old != json)
            {
                changes.Add(new ItemChange(key, ChangeKind.Modified, Lines(old, json)));
            }
        }
        foreach (var (key, old) in beforeById.Where(p => !seen.Contains(p.Key)))
        {
            changes.Add(new ItemChange(key, ChangeKind.Removed, Lines(old, "")));
        }
        return changes;
    }

    private static string Json<T>(T value) => JsonSerializer.Serialize(value, Indented);

    private static List<DiffPiece> Pieces(string before, string after, DiffPlex.IChunker chunker)
    {
        var model = InlineDiffBuilder.Diff(before, after, ignoreWhiteSpace: false, ignoreCase: false, chunker);
        var pieces = new List<DiffPiece>();
        var lineMode = chunker is LineChunker;
        foreach (var line in model.Lines)
        {
            var kind = line.Type switch
            {
                ChangeType.Inserted => DiffPieceKind.Inserted,
                ChangeType.Deleted => DiffPieceKind.Deleted,
                _ => DiffPieceKind.Unchanged,
            };
            var text = lineMode ? line.Text + "\n" : line.Text;
            if (pieces.Count > 0 && pieces[^1].Kind == kind)
            {
                pieces[^1] = pieces[^1] with { Text = pieces[^1].Text + text };
            }
            else
            {
                pieces.Add(new DiffPiece(kind, text));
            }
        }
        return pieces;
    }
}
