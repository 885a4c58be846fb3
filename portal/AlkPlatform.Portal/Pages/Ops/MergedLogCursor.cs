using System.Buffers.Text;
using System.Text.Json;

namespace AlkPlatform.Portal.Pages.Ops;

/// <summary>
/// The keyset position of a merged evaluation-log page: one <see cref="ReplicaPosition"/> per replica asked, and the time of
/// the last record shown, from which a replica that was not asked before (added, or unreachable then) is read.
/// Carried in the page link as base64url JSON; the replicas check their own tokens inside it.
/// </summary>
public sealed record MergedLogCursor(IReadOnlyDictionary<string, ReplicaPosition> Replicas, DateTimeOffset? Before)
{
    /// <summary>The service's largest page: a position that skips more could never be read.</summary>
    private const int MaxSkip = 500;

    public static readonly MergedLogCursor Newest = new(new Dictionary<string, ReplicaPosition>(), null);

    public string Encode() => Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(this));

    /// <summary>The cursor a page link carries, or null when the link is not one the page made.</summary>
    public static MergedLogCursor? Decode(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return Newest;
        }
        try
        {
            var cursor = JsonSerializer.Deserialize<MergedLogCursor>(Base64Url.DecodeFromChars(token));
            return cursor?.Replicas is null || cursor.Replicas.Values.Any(p => p is null || p.Token is null || p.Skip < 0 || p.Skip > MaxSkip) ? null : cursor;
        }
        catch (Exception ex) when (ex is JsonException or FormatException)
        {
            return null;
        }
    }
}
