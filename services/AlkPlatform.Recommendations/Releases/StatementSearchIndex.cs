using System.Text;
using System.Text.RegularExpressions;
using AlkPlatform.Guidelines.Rules;
using Dapper;
using Microsoft.Data.Sqlite;

namespace AlkPlatform.Recommendations.Releases;

public sealed record StatementHit(string StatementId, double Score);

/// <summary>
/// Full-text index (SQLite FTS5, BM25 ranking, Porter stemming) over one release's approved statements, held in a
/// private in-memory database that lives as long as the release.
/// </summary>
public sealed partial class StatementSearchIndex : IDisposable
{
    // Words that carry no meaning for retrieval here, including ones every statement of this guideline shares.
    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "a", "about", "am", "an", "and", "any", "are", "as", "at", "be", "been", "best", "by", "can", "could", "did", "do",
        "does", "for", "from", "get", "give", "given", "has", "have", "how", "i", "if", "in", "into", "is", "it", "its",
        "me", "my", "of", "on", "or", "our", "should", "so", "than", "that", "the", "their", "them", "there", "these",
        "they", "this", "to", "us", "was", "we", "were", "what", "when", "where", "which", "who", "why", "will", "with",
        "would", "you", "your", "patient", "patients", "alk", "lbcl", "lymphoma", "large", "cell", "b", "positive",
        "treatment", "treat", "therapy", "disease", "use", "used", "option", "options", "tell", "know", "need",
    };

    private readonly SqliteConnection _connection;
    private readonly Lock _gate = new();

    private StatementSearchIndex(SqliteConnection connection) => _connection = connection;

    public static StatementSearchIndex Build(CompiledGuideline guideline)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = ":memory:", Pooling = false }.ToString());
        connection.Open();
        connection.Execute("CREATE VIRTUAL TABLE statements USING fts5(statement_id UNINDEXED, section, text, tokenize = 'porter unicode61');");
        using var transaction = connection.BeginTransaction();
        foreach (var section in guideline.Content.Sections)
        {
            foreach (var statement in section.Statements)
            {
                connection.Execute("INSERT INTO statements (statement_id, section, text) VALUES (@Id, @Section, @Text)",
                    new { statement.Id, Section = section.Title, statement.Text }, transaction);
            }
        }
        transaction.Commit();
        return new StatementSearchIndex(connection);
    }

    /// <summary>Best-matching statement ids for a question; empty when no meaningful word of it occurs in any statement.</summary>
    public IReadOnlyList<StatementHit> Search(string question, int limit)
    {
        var query = ToMatchExpression(question);
        if (query.Length == 0)
        {
            return [];
        }
        lock (_gate)
        {
            // bm25 weights: statement_id (unindexed), section title, statement text.
            return [.. _connection.Query<(string Id, double Rank)>(
                    "SELECT statement_id, bm25(statements, 0.0, 0.5, 1.0) AS rank FROM statements WHERE statements MATCH @query ORDER BY rank LIMIT @limit",
                    new { query, limit })
                .Select(r => new StatementHit(r.Id, -r.Rank))];
        }
    }

    /// <summary>Quotes each meaningful word so user text can never be read as FTS5 query syntax.</summary>
    public static string ToMatchExpression(string question)
    {
        var terms = Words().Matches(question.ToLowerInvariant())
            .Select(m => m.Value)
            .Where(w => w.Length > 1 && !StopWords.Contains(w))
            .Distinct()
            .Take(32);
        var builder = new StringBuilder();
        foreach (var term in terms)
        {
            if (builder.Length > 0)
            {
                builder.Append(" OR ");
            }
            builder.Append('"').Append(term).Append('"');
        }
        return builder.ToString();
    }

    [GeneratedRegex(@"[\p{L}\p{N}]+")]
    private static partial Regex Words();

    public void Dispose() => _connection.Dispose();
}
