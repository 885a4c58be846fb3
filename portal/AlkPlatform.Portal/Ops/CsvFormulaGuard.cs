using System.Text;

namespace AlkPlatform.Portal.Ops;

/// <summary>
/// Re-checks the service's CSV export on its way to the browser: any cell that starts with <c>=</c>, <c>+</c>, <c>-</c>,
/// <c>@</c>, tab or carriage return gets a leading single quote, so a spreadsheet shows it as text instead of running it
/// (OWASP "CSV injection"), whatever the service's version. Cells already neutralised pass unchanged.
/// </summary>
public static class CsvFormulaGuard
{
    /// <summary>Neutralises every cell of <paramref name="csv"/>, which holds whole records (RFC 4180 quoting, '\n' line ends).</summary>
    public static string Neutralise(string csv)
    {
        ArgumentNullException.ThrowIfNull(csv);
        var output = new StringBuilder(csv.Length + 16);
        var cellStart = true;
        var quoted = false;
        for (var i = 0; i < csv.Length; i++)
        {
            var c = csv[i];
            if (quoted)
            {
                output.Append(c);
                if (c == '"')
                {
                    if (i + 1 < csv.Length && csv[i + 1] == '"')
                    {
                        output.Append('"');
                        i++;
                    }
                    else
                    {
                        quoted = false;
                    }
                }
                continue;
            }
            if (cellStart)
            {
                cellStart = false;
                if (c == '"')
                {
                    output.Append(c);
                    quoted = true;
                    if (i + 1 < csv.Length && IsFormulaStart(csv, i + 1))
                    {
                        output.Append('\'');
                    }
                    continue;
                }
                if (IsFormulaStart(csv, i))
                {
                    output.Append('\'');
                }
            }
            output.Append(c);
            cellStart = c is ',' or '\n';
        }
        return output.ToString();
    }

    // A carriage return right before the line feed ends an empty last cell; anywhere else it starts one.
    private static bool IsFormulaStart(string csv, int i) => csv[i] switch
    {
        '=' or '+' or '-' or '@' or '\t' => true,
        '\r' => i + 1 >= csv.Length || csv[i + 1] != '\n',
        _ => false,
    };
}
