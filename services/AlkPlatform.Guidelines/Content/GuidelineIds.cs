using System.Text.RegularExpressions;

namespace AlkPlatform.Guidelines.Content;

/// <summary>
/// What a guideline id may be, everywhere one is created or asked for: 1 to <see cref="MaxLength"/> lower-case letters
/// and digits in hyphen-separated words (<c>alk-lbcl</c>).
/// </summary>
public static partial class GuidelineIds
{
    public const int MaxLength = 64;

    public const string Rule = "must be 1 to 64 lower-case letters, digits and single hyphens between them (e.g. alk-lbcl)";

    /// <summary>Checks the length first, so an oversized value is refused without the pattern reading it.</summary>
    public static bool IsValid(string? id) => id is { Length: > 0 and <= MaxLength } && Pattern().IsMatch(id);

    // \z, not $: $ also matches before a final newline, which would let "alk-lbcl\n" through.
    [GeneratedRegex(@"^[a-z0-9]+(-[a-z0-9]+)*\z")]
    private static partial Regex Pattern();
}
