namespace AlkPlatform.Recommendations.Authentication;

/// <summary>The <c>x-client-app</c> header: what a caller says it is, kept as a label beside the verified caller, never trusted.</summary>
public static class ClaimedCallerLabel
{
    public const string Header = "x-client-app";
    private const int MaxLength = 128;

    public static string Of(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var values = context.Request.Headers[Header];
        return values.Count == 0 ? "" : Bound(values[0] ?? "", MaxLength);
    }

    public static string Bound(string value, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Length > maxLength ? value[..maxLength] : value;
    }
}
