using CsCheck;

namespace AlkPlatform.Testing.Generators;

/// <summary>
/// Strings a caller might send: empty and blank, printable, any UTF-16 (lone surrogates included), control characters,
/// look-alike and invisible Unicode, injection attempts (SQL, FTS5, Markdown, HTML, CSV formulas, format strings), and
/// lengths either side of a field's limit.
/// </summary>
public static class GeneratedText
{
    private static readonly string[] Attacks =
    [
        "'; DROP TABLE evaluation_logs; --", "\" OR 1=1 --", "%s%s%n", "{0}{1}", "$(rm -rf /)", "../../etc/passwd",
        "<script>alert(1)</script>", "[x](javascript:alert(1))", "<img src=x onerror=alert(1)>", "=HYPERLINK(\"http://x\")",
        "+1", "-1", "@SUM(A1)", "\tTAB", "\rCR", "NEAR(a b)", "\"unterminated", "a*", "^start", "null", "undefined", "NaN",
        "\u202Eevil\u202C", "\uFEFFbom", "e\u0301", "\u200B", "🧬💊", "漢字", "Ω≈ç√", "\u0000", "\\u0000", "\\", "/", "%00",
        "alk-lbcl\u0000", "ALK-LBCL", " alk-lbcl", "alk-lbcl ", "alk_lbcl", "alk-lbcl@r1", "*", "%", "_", "'", "\"", ";",
    ];

    /// <summary>Printable ASCII, the safe subset of header values.</summary>
    public static readonly Gen<char> Printable = Gen.Char[' ', '~'];

    /// <summary>Any character the form and the wire can carry, weighted towards the troublesome ones.</summary>
    public static readonly Gen<char> AnyChar = Gen.Frequency(
        (4, Printable),
        (2, Gen.Char),
        (1, Gen.Char['\0', '\u001f']),
        (1, Gen.Char["\u00a0\u2028\u2029\u200b\u202e\ufeff\u0301éß漢字"]),
        (1, Gen.Char['\ud800', '\udfff']));

    /// <summary>Any text of at most <paramref name="maxLength"/> characters.</summary>
    public static Gen<string> Any(int maxLength) => Gen.Frequency(
        (2, Gen.Const("")),
        (1, Gen.OneOf(" ", "\t", "\r\n", "\u00a0", "   ")),
        (3, Gen.String[AnyChar, 1, Math.Min(maxLength, 40)]),
        (2, Gen.OneOf(Attacks).Where(a => a.Length <= maxLength)),
        (1, Repeated(Gen.Int[0, maxLength])));

    /// <summary>Text whose length sits on <paramref name="limit"/>: just under, at, just over, or far over (up to <paramref name="maxLength"/>).</summary>
    public static Gen<string> Around(int limit, int maxLength) =>
        Repeated(Gen.Frequency(
            (3, Gen.Int[Math.Max(0, limit - 1), limit + 1]),
            (1, Gen.Int[limit + 2, Math.Max(limit + 2, maxLength)])));

    /// <summary>A well-formed id (lowercase letters, digits and inner hyphens) of 1 to <paramref name="maxLength"/> characters.</summary>
    public static Gen<string> Identifier(int maxLength) =>
        Gen.String[Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789-"], 1, maxLength]
            .Select(s => s.Trim('-'))
            .Where(s => s.Length > 0 && !s.Contains("--", StringComparison.Ordinal));

    /// <summary>A valid value with one character added at its start, its end or inside: what a lax pattern lets through.</summary>
    public static Gen<string> Tainted(Gen<string> valid) =>
        Gen.Select(valid, Gen.Frequency((3, Gen.Char[" \n\r\t\0.-_/é\u200b"]), (1, AnyChar)), Gen.Int[0, 2], (value, c, where) => where switch
        {
            0 => c + value,
            1 => value + c,
            _ => value.Insert(value.Length / 2, c.ToString()),
        });

    /// <summary>One character repeated: cheap to make at any length, and a stand-in for a pasted blob.</summary>
    private static Gen<string> Repeated(Gen<int> length) =>
        Gen.Select(Gen.Frequency((3, Printable), (1, AnyChar)), length, (c, n) => new string(c, n));
}
