using System.Text.Json;

namespace AlkPlatform.Recommendations.EvaluationLogs;

/// <summary>The SQL of <c>evaluation_logs</c> derived from <see cref="EvaluationLogColumn"/>, so the column list is written once.</summary>
public static class EvaluationLogTable
{
    public const string Name = "evaluation_logs";

    /// <summary>Every column, in insert order.</summary>
    public static IReadOnlyList<EvaluationLogColumn> Columns { get; } = Enum.GetValues<EvaluationLogColumn>();

    public static string ColumnName(EvaluationLogColumn column) => JsonNamingPolicy.SnakeCaseLower.ConvertName(column.ToString());

    /// <summary>The insert of one row, every column bound by its parameter number (<c>?1</c> … <c>?25</c>).</summary>
    public static string InsertSql { get; } =
        $"INSERT INTO {Name} ({string.Join(", ", Columns.Select(ColumnName))}) VALUES ({string.Join(", ", Columns.Select(c => $"?{(int)c}"))})";

    /// <summary>
    /// The SELECT list that maps a row aliased <c>l</c> onto <see cref="EvaluationLogRow"/>. A row with a card set keeps
    /// its cards in the set (its own <c>cards_json</c> is empty), so the cards are read from there.
    /// </summary>
    public static string SelectList { get; } = string.Join(", ", Columns.Select(c => c == EvaluationLogColumn.CardsJson
        ? $"coalesce((SELECT s.cards_json FROM evaluation_card_sets s WHERE s.card_set_id = l.card_set_id), l.cards_json) AS {c}"
        : $"l.{ColumnName(c)} AS {c}"));
}
