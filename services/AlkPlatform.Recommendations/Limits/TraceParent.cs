namespace AlkPlatform.Recommendations.Limits;

/// <summary>The W3C Trace Context <c>traceparent</c> header: <c>version-traceid-parentid-flags</c> in lower-case hex.</summary>
public static class TraceParent
{
    public const string Header = "traceparent";

    private const int Version00Length = 55;

    /// <summary>
    /// True for a well-formed value: version 00 exactly 55 characters; a later version at least that, with a '-' after the
    /// flags if longer (the spec's forward compatibility); never version ff, an all-zero trace id or an all-zero parent id.
    /// </summary>
    public static bool IsValid(ReadOnlySpan<char> value)
    {
        if (value.Length < Version00Length || value[2] != '-' || value[35] != '-' || value[52] != '-')
        {
            return false;
        }
        var version = value[..2];
        if (!IsLowerHex(version) || version.SequenceEqual("ff"))
        {
            return false;
        }
        if (version.SequenceEqual("00") ? value.Length != Version00Length : value.Length > Version00Length && value[Version00Length] != '-')
        {
            return false;
        }
        var traceId = value.Slice(3, 32);
        var parentId = value.Slice(36, 16);
        return IsLowerHex(traceId) && !IsAllZero(traceId)
            && IsLowerHex(parentId) && !IsAllZero(parentId)
            && IsLowerHex(value.Slice(53, 2));
    }

    /// <summary>The 32-character trace id of a value <see cref="IsValid"/> accepted.</summary>
    public static string TraceIdOf(string value) => value.Substring(3, 32);

    private static bool IsLowerHex(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (c is not ((>= '0' and <= '9') or (>= 'a' and <= 'f')))
            {
                return false;
            }
        }
        return true;
    }

    private static bool IsAllZero(ReadOnlySpan<char> text) => !text.ContainsAnyExcept('0');
}
