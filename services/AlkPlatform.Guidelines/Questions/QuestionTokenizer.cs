using System.Text;
using System.Text.RegularExpressions;

namespace AlkPlatform.Guidelines.Questions;

/// <summary>Splits text into <see cref="QuestionToken"/>s, the same way for questions, statements and lexicon terms.</summary>
public static partial class QuestionTokenizer
{
    public static IReadOnlyList<QuestionToken> Tokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var normal = Normalize(text);
        var tokens = new List<QuestionToken>();
        foreach (Match match in Words().Matches(normal))
        {
            var surface = text.Substring(match.Index, match.Length);
            var value = match.Value;
            var plus = value.EndsWith('+');
            var body = plus ? value[..^1] : value;
            var parts = new List<string>();
            var key = new StringBuilder(body.Length + 1);
            var start = 0;
            for (var i = 0; i <= body.Length; i++)
            {
                if (i < body.Length && body[i] is not ('-' or '/'))
                {
                    continue;
                }
                var part = Stem(body[start..i]);
                parts.Add(part);
                key.Append(part);
                if (i < body.Length)
                {
                    key.Append(body[i]);
                }
                start = i + 1;
            }
            if (plus)
            {
                key.Append('+');
            }
            var isNumber = parts.All(IsNumeric);
            tokens.Add(new QuestionToken(surface, match.Index, match.Length, key.ToString(), parts, isNumber));
        }
        return tokens;
    }

    /// <summary>The stem of one plain word: Porter for words of letters, the word itself otherwise ("cd20", "stat3").</summary>
    public static string Stem(string word) => PorterStemmer.Stem(word);

    private static bool IsNumeric(string part) => part.Length > 0 && part.All(c => char.IsAsciiDigit(c) || c is '.' or ',');

    /// <summary>
    /// Lowercase, typographic quotes and dashes as ASCII, "n't" as " not" and possessive "'s" dropped. Keeps every character
    /// at its index (padding with spaces where needed), so a token's position in the normal form is its position as typed.
    /// </summary>
    private static string Normalize(string text)
    {
        var chars = text.ToLowerInvariant().ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = chars[i] switch
            {
                '\u2019' or '\u2018' or '\u02bc' => '\'',
                '\u2010' or '\u2011' or '\u2012' or '\u2013' or '\u2014' or '\u2212' => '-',
                '\u207a' or '\uff0b' => '+',
                '\u00a0' or '\u2009' or '\u202f' => ' ',
                _ => chars[i],
            };
        }
        for (var i = 0; i + 1 < chars.Length; i++)
        {
            // "alectinib's" reads as "alectinib"; "doesn't" as "does" ("can't" as "can"): negation is not content.
            if (chars[i] == '\'' && (chars[i + 1] == 's' || chars[i + 1] == 't') && (i + 2 == chars.Length || !char.IsLetterOrDigit(chars[i + 2])))
            {
                var negation = chars[i + 1] == 't' && i >= 1 && chars[i - 1] == 'n';
                chars[i] = ' ';
                chars[i + 1] = ' ';
                if (negation && !(i >= 3 && chars[i - 3] == 'c' && chars[i - 2] == 'a'))
                {
                    chars[i - 1] = ' ';
                }
            }
        }
        return new string(chars);
    }

    // Letters and digits, with decimals ("58.3"), joined by hyphens or slashes, optionally ending in a plus ("ALK+", "3+").
    [GeneratedRegex(@"[\p{L}\p{N}]+(?:[.,]\d+)?(?:[-/][\p{L}\p{N}]+(?:[.,]\d+)?)*\+?")]
    private static partial Regex Words();
}
