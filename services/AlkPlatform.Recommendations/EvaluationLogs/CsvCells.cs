using System.Text;

namespace AlkPlatform.Recommendations.EvaluationLogs;

/// <summary>
/// Writes CSV cells that a spreadsheet shows as text: a cell starting with <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, tab or
/// carriage return would be run as a formula (OWASP "CSV injection"), so it gets a leading single quote; then RFC 4180 quoting.
/// </summary>
public static class CsvCells
{
    public static bool StartsLikeAFormula(ReadOnlySpan<char> cell) => cell.Length > 0 && cell[0] is '=' or '+' or '-' or '@' or '\t' or '\r';

    public static void Append(StringBuilder csv, string cell)
    {
        ArgumentNullException.ThrowIfNull(csv);
        ArgumentNullException.ThrowIfNull(cell);
        var prefix = StartsLikeAFormula(cell) ? "'" : "";
        if (cell.AsSpan().IndexOfAny(",\"\r\n") >= 0)
        {
            csv.Append('"').Append(prefix).Append(cell.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
        }
        else
        {
            csv.Append(prefix).Append(cell);
        }
    }
}
