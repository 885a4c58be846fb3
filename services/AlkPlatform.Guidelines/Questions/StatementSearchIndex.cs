using System.Text;
using AlkPlatform.Guidelines.Content;
using Dapper;
using Microsoft.Data.Sqlite;

namespace AlkPlatform.Guidelines.Questions;

/// <summary>
/// Full-text index (SQLite FTS5, BM25 ranking, Porter stemming) over one revision's statements, their section titles and
/// keywords, held in a private in-memory database that lives as long as the revision is served or checked. It only
/// orders statements that already cover the whole question; it never decides whether one does.
/// </summary>
public sealed class StatementSearchIndex : IDisposable
{
    /// <summary>Most phrases in one match expression; a longer question's later terms do not add to the ranking.</summary>
    public const int MaxPhrases = 64;

    private readonly SqliteConnection _connection;
    private readonly Lock _gate = new();

    private StatementSearchIndex(SqliteConnection connection) => _connection = connection;

    public static StatementSearchIndex Build(GuidelineContent content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = ":memory:", Pooling = false }.ToString());
        connection.Open();
        connection.Execute("CREATE VIRTUAL TABLE statements USING fts5(statement_id UNINDEXED, section, keywords, text, tokenize = 'porter unicode61');");
        using var transaction = connection.BeginTransaction();
        foreach (var section in content.Sections)
        {
            foreach (var statement in section.Statements)
            {
                connection.Execute("INSERT INTO statements (statement_id, section, keywords, text) VALUES (@Id, @Section, @Keywords, @Text)",
                    new { statement.Id, Section = section.Title, Keywords = string.Join("; ", statement.Keywords ?? []), statement.Text }, transaction);
            }
        }
        transaction.Commit();
        return new StatementSearchIndex(connection);
    }

    /// <summary>BM25 score (higher is better) of every statement matching any of the phrases; statements matching none are absent.</summary>
    public IReadOnlyDictionary<string, double> Scores(IEnumerable<string> phrases)
    {
        var query = ToMatchExpression(phrases);
        if (query.Length == 0)
        {
            return new Dictionary<string, double>();
        }
        lock (_gate)
        {
            // bm25 weights: statement_id (unindexed), section title, keywords, statement text.
            return _connection.Query<(string Id, double Rank)>(
                    "SELECT statement_id, bm25(statements, 0.0, 0.5, 0.5, 1.0) AS rank FROM statements WHERE statements MATCH @query",
                    new { query })
                .ToDictionary(r => r.Id, r => -r.Rank, StringComparer.Ordinal);
        }
    }

    /// <summary>Quotes each phrase so user text can never be read as FTS5 query syntax, and joins them with OR.</summary>
    public static string ToMatchExpression(IEnumerable<string> phrases)
    {
        ArgumentNullException.ThrowIfNull(phrases);
        var builder = new StringBuilder();
        var count = 0;
        // Control characters never carry meaning here, and a NUL would end SQLite's string early ("unterminated string").
        foreach (var phrase in phrases.Select(p => string.Concat(p.Select(c => char.IsControl(c) ? ' ' : c)))
                     .Where(p => p.Any(char.IsLetterOrDigit)).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            if (count++ == MaxPhrases)
            {
                break;
            }
            if (builder.Length > 0)
            {
                builder.Append(" OR ");
            }
            builder.Append('"').Append(phrase.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
        }
        return builder.ToString();
    }

    public void Dispose() => _connection.Dispose();
}
