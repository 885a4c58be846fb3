using SQLitePCL;

namespace AlkPlatform.Recommendations.EvaluationLogs;

/// <summary>
/// The log insert's parameters, re-bound only when a value differs from the previous row's: SQLite keeps bindings
/// across <c>sqlite3_reset</c>, and consecutive records mostly share their release, caller, status and many of their
/// JSON columns, so most of the ~20 binds per row (each a P/Invoke, a UTF-8 copy and an SQLite copy) are skipped.
/// Each parameter is always bound the same way (integer, string or UTF-8), and its value is remembered only once
/// SQLite has accepted it.
/// </summary>
internal sealed class LogInsertBindings(LogInsertStatements owner, sqlite3_stmt statement)
{
    /// <summary>UTF-8 values longer than this are bound every time rather than kept for comparison.</summary>
    private const int MaxRemembered = 4096;
    // Indexed by parameter number, which starts at 1.
    private static readonly int Slots = EvaluationLogTable.Columns.Count + 1;

    private readonly string?[] _text = new string?[Slots];
    private readonly long?[] _int = new long?[Slots];
    private readonly byte[]?[] _utf8 = new byte[]?[Slots];
    private readonly int[] _utf8Length = new int[Slots];

    public void Int(EvaluationLogColumn column, long value)
    {
        var index = (int)column;
        if (_int[index] == value)
        {
            return;
        }
        _int[index] = null;
        owner.Check(raw.sqlite3_bind_int64(statement, index, value));
        _int[index] = value;
    }

    public void Text(EvaluationLogColumn column, string value)
    {
        var index = (int)column;
        if (string.Equals(_text[index], value, StringComparison.Ordinal))
        {
            return;
        }
        _text[index] = null;
        owner.BindText(statement, index, value);
        _text[index] = value;
    }

    public void Utf8(EvaluationLogColumn column, ReadOnlySpan<byte> value)
    {
        var index = (int)column;
        var buffer = _utf8[index];
        if (buffer is not null && value.SequenceEqual(buffer.AsSpan(0, _utf8Length[index])))
        {
            return;
        }
        _utf8[index] = null;
        owner.BindUtf8(statement, index, value);
        if (value.Length <= MaxRemembered)
        {
            if (buffer is null || buffer.Length < value.Length)
            {
                buffer = new byte[Math.Max(value.Length, 64)];
            }
            value.CopyTo(buffer);
            _utf8[index] = buffer;
            _utf8Length[index] = value.Length;
        }
    }
}
