using System.Globalization;
using System.Text.Json;

namespace AlkPlatform.Guidelines.Releases.Signing;

/// <summary>
/// Everything a signature vouches for in one feed event. Its canonical form (fixed key order, no whitespace, UTC times in
/// round-trip format) is what is signed; <see cref="Parse"/> accepts only that form, so one event has exactly one encoding.
/// </summary>
public sealed record ReleaseEventEnvelope
{
    public const int FormatVersion = 1;

    public required ReleaseEventKind Kind { get; init; }
    public required string GuidelineId { get; init; }
    /// <summary>The release going live; for a retirement, the release that was live (empty if none).</summary>
    public required string ReleaseId { get; init; }
    public required int RevisionNumber { get; init; }
    public required string ContentHash { get; init; }
    public required IReadOnlyList<RevisionApproval> Approvals { get; init; }
    public required string ApprovalBasis { get; init; }
    public required string Reason { get; init; }
    public required DateTimeOffset EventAt { get; init; }
    /// <summary>Per guideline, one more than the previous signed event's; a subscriber refuses anything not newer than what it holds.</summary>
    public required long Sequence { get; init; }
    public required AuditChainHead AuditHead { get; init; }
    public required string KeyId { get; init; }

    public byte[] ToCanonicalUtf8()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false }))
        {
            json.WriteStartObject();
            json.WriteNumber("formatVersion", FormatVersion);
            json.WriteString("kind", KindName(Kind));
            json.WriteString("guidelineId", GuidelineId);
            json.WriteString("releaseId", ReleaseId);
            json.WriteNumber("revisionNumber", RevisionNumber);
            json.WriteString("contentHash", ContentHash);
            json.WriteStartArray("approvals");
            foreach (var approval in Approvals)
            {
                json.WriteStartObject();
                json.WriteString("approverId", approval.ApproverId);
                json.WriteString("approverName", approval.ApproverName);
                json.WriteString("approvedAt", FormatTime(approval.ApprovedAt));
                json.WriteString("signatureMeaning", approval.SignatureMeaning);
                json.WriteString("contentHash", approval.ContentHash);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteString("approvalBasis", ApprovalBasis);
            json.WriteString("reason", Reason);
            json.WriteString("eventAt", FormatTime(EventAt));
            json.WriteNumber("sequence", Sequence);
            json.WriteStartObject("auditHead");
            json.WriteNumber("sequence", AuditHead.Sequence);
            json.WriteString("entryHash", AuditHead.EntryHash);
            json.WriteEndObject();
            json.WriteString("keyId", KeyId);
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    /// <summary>Reads a canonical envelope; anything else (another format, a missing or extra field, other spacing) is refused.</summary>
    public static ReleaseEventEnvelope Parse(ReadOnlySpan<byte> utf8)
    {
        ReleaseEventEnvelope envelope;
        try
        {
            var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = 8 });
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (Int(root, "formatVersion") != FormatVersion)
            {
                throw Invalid($"format version {Int(root, "formatVersion")} is not {FormatVersion}");
            }
            envelope = new ReleaseEventEnvelope
            {
                Kind = ParseKind(Text(root, "kind")),
                GuidelineId = Text(root, "guidelineId"),
                ReleaseId = Text(root, "releaseId"),
                RevisionNumber = Int(root, "revisionNumber"),
                ContentHash = Text(root, "contentHash"),
                Approvals = [.. Property(root, "approvals", JsonValueKind.Array).EnumerateArray().Select(a => new RevisionApproval(
                    Text(a, "approverId"), Text(a, "approverName"), Time(a, "approvedAt"), Text(a, "signatureMeaning"), Text(a, "contentHash")))],
                ApprovalBasis = Text(root, "approvalBasis"),
                Reason = Text(root, "reason"),
                EventAt = Time(root, "eventAt"),
                Sequence = Property(root, "sequence", JsonValueKind.Number).GetInt64(),
                AuditHead = new AuditChainHead(
                    Property(Property(root, "auditHead", JsonValueKind.Object), "sequence", JsonValueKind.Number).GetInt64(),
                    Text(Property(root, "auditHead", JsonValueKind.Object), "entryHash")),
                KeyId = Text(root, "keyId"),
            };
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException)
        {
            throw Invalid(ex.Message);
        }
        if (!utf8.SequenceEqual(envelope.ToCanonicalUtf8()))
        {
            throw Invalid("it is not in canonical form (unknown or repeated fields, other order or spacing)");
        }
        return envelope;
    }

    private static string KindName(ReleaseEventKind kind) => kind switch
    {
        ReleaseEventKind.Release => "release",
        ReleaseEventKind.Rollback => "rollback",
        ReleaseEventKind.Retirement => "retirement",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown event kind"),
    };

    private static ReleaseEventKind ParseKind(string name) => name switch
    {
        "release" => ReleaseEventKind.Release,
        "rollback" => ReleaseEventKind.Rollback,
        "retirement" => ReleaseEventKind.Retirement,
        _ => throw Invalid($"kind '{Clip(name)}' is not release, rollback or retirement"),
    };

    private static string FormatTime(DateTimeOffset at) => at.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    private static JsonElement Property(JsonElement parent, string name, JsonValueKind kind)
    {
        if (parent.ValueKind != JsonValueKind.Object || !parent.TryGetProperty(name, out var value))
        {
            throw Invalid($"field '{name}' is missing");
        }
        if (value.ValueKind != kind)
        {
            throw Invalid($"field '{name}' is {value.ValueKind}, not {kind}");
        }
        return value;
    }

    private static string Text(JsonElement parent, string name) => Property(parent, name, JsonValueKind.String).GetString()!;

    private static int Int(JsonElement parent, string name) => Property(parent, name, JsonValueKind.Number).GetInt32();

    private static DateTimeOffset Time(JsonElement parent, string name) =>
        DateTimeOffset.ParseExact(Text(parent, name), "O", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    private static string Clip(string text) => text.Length <= 32 ? text : text[..32] + "…";

    private static ReleaseVerificationException Invalid(string reason) =>
        new("(unparsed event)", $"the signed envelope is unreadable: {reason}");
}
