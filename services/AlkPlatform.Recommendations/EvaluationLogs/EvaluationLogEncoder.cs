using System.Buffers;
using System.Text;
using System.Text.Json;
using AlkPlatform.Contracts.Recommendation.V1;
using AlkPlatform.Guidelines.Content;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace AlkPlatform.Recommendations.EvaluationLogs;

/// <summary>A pending evaluation turned into column values, masking applied; JSON columns are UTF-8, bound as they are.</summary>
public sealed class EncodedEvaluationLog
{
    public string GuidelineId { get; set; } = "";
    public int StatusCode { get; set; }
    public string StatusMessage { get; set; } = "";
    public string ReleaseId { get; set; } = "";
    public int RevisionNumber { get; set; }
    public string ContentHash { get; set; } = "";
    public int Audience { get; set; }
    public ArrayBufferWriter<byte> InputJson { get; } = new(512);
    public ArrayBufferWriter<byte> CardsJson { get; } = new(512);
    public ArrayBufferWriter<byte> RulesFired { get; } = new(256);
    public ArrayBufferWriter<byte> MissingFacts { get; } = new(256);
    public int SeverityMask { get; set; }
    public ArrayBufferWriter<byte> MaskedFields { get; } = new(64);
    public List<(string CardId, int Severity)> Cards { get; } = [];
    /// <summary>An Ask that was not answered: its <c>AskAbstention</c> number; 0 for every other record.</summary>
    public int Abstention { get; set; }
    /// <summary>The abstention's unknown terms, lowercase and masked as configured.</summary>
    public List<string> UnknownTerms { get; } = [];
    /// <summary>The concepts, as asked, no statement covers together (qualifier or combination not covered).</summary>
    public string Unanswered { get; set; } = "";

    /// <summary>Turns an answer into the record of a call that was not answered: the status given, no cards, rules or missing facts.</summary>
    public void Withhold(Grpc.Core.StatusCode status, string message)
    {
        StatusCode = (int)status;
        StatusMessage = message;
        foreach (var buffer in (ReadOnlySpan<ArrayBufferWriter<byte>>)[CardsJson, RulesFired, MissingFacts])
        {
            buffer.ResetWrittenCount();
            buffer.Write("[]"u8);
        }
        SeverityMask = 0;
        Cards.Clear();
    }
}

/// <summary>
/// Encodes requests and responses as compact JSON for storage. Owned by one thread (the writer): buffers are reused and
/// each field's masking decision is computed once per field, not per record.
/// </summary>
public sealed class EvaluationLogEncoder(EvaluationLogOptions options) : IDisposable
{
    private readonly Dictionary<(MessageDescriptor Message, string Prefix), FieldPlan[]> _messagePlans = [];
    private readonly List<string> _masked = [];
    // Ids and cards a release defines are shared by every response: encode each once, copy it after that.
    private readonly EncodedOnce<Card> _cardJson = new(ReferenceEqualityComparer.Instance, static card => EncodeCard(card));
    private readonly EncodedOnce<string> _stringJson = new(StringComparer.Ordinal, static value => JsonSerializer.SerializeToUtf8Bytes(value));
    private Utf8JsonWriter? _json;

    public void Encode(PendingEvaluationLog entry, EncodedEvaluationLog into)
    {
        into.Cards.Clear();
        // A refused call's guideline id is whatever it sent: only a valid one goes in the indexed column.
        into.GuidelineId = GuidelineIds.IsValid(entry.GuidelineId) ? entry.GuidelineId : "";
        into.StatusCode = entry.StatusCode;
        into.StatusMessage = Bounded(entry.StatusMessage, options.MaxStoredTextLength);
        into.ReleaseId = entry.ReleaseId;
        into.RevisionNumber = entry.RevisionNumber;
        into.ContentHash = entry.ContentHash;
        into.Audience = entry.Request switch
        {
            RecommendRequest r => (int)r.Audience,
            AskRequest a => (int)a.Audience,
            GetGuidelineRequest g => (int)g.Audience,
            _ => 0,
        };

        _masked.Clear();
        var json = Begin(into.InputJson);
        if (entry.Request is null)
        {
            json.WriteStartObject();
            json.WriteEndObject();
        }
        else
        {
            WriteMessage(json, entry.Request, "");
        }
        json.Flush();
        EncodeAbstention(entry.Response as AskResponse, into);
        json = Begin(into.MaskedFields);
        json.WriteStartArray();
        foreach (var masked in _masked)
        {
            json.WriteStringValue(masked);
        }
        json.WriteEndArray();
        json.Flush();

        var provenance = entry.Response switch
        {
            RecommendResponse r => r.Release,
            AskResponse a => a.Release,
            GetGuidelineResponse g => g.Release,
            _ => null,
        };
        if (provenance is not null)
        {
            into.GuidelineId = provenance.GuidelineId;
            into.ReleaseId = provenance.ReleaseId;
            into.RevisionNumber = provenance.RevisionNumber;
            into.ContentHash = provenance.ContentHash;
        }

        into.SeverityMask = 0;
        json = Begin(into.CardsJson);
        json.WriteStartArray();
        if (entry.Response is RecommendResponse recommend)
        {
            foreach (var card in recommend.Cards)
            {
                json.WriteRawValue(_cardJson.Get(card), skipInputValidation: true);
                into.Cards.Add((card.Id, (int)card.Severity));
                into.SeverityMask |= 1 << (int)card.Severity;
            }
        }
        else if (entry.Response is AskResponse ask)
        {
            // An answer to a question "shows" approved statements; they are logged as cards without kind or severity.
            foreach (var hit in ask.Hits)
            {
                var id = StatementCardPrefix + hit.StatementId;
                WriteCard(json, id, 0, 0, null);
                into.Cards.Add((id, 0));
            }
        }
        json.WriteEndArray();
        json.Flush();

        json = Begin(into.RulesFired);
        json.WriteStartArray();
        if (entry.Response is RecommendResponse fired)
        {
            foreach (var firing in fired.Explanation)
            {
                json.WriteRawValue(_stringJson.Get(firing.RuleId), skipInputValidation: true);
            }
        }
        json.WriteEndArray();
        json.Flush();

        json = Begin(into.MissingFacts);
        json.WriteStartArray();
        if (entry.Response is RecommendResponse missing)
        {
            foreach (var fact in missing.MissingFacts)
            {
                json.WriteRawValue(_stringJson.Get(fact.Fact), skipInputValidation: true);
            }
        }
        json.WriteEndArray();
        json.Flush();
    }

    /// <summary>Masking path of an abstention's unknown terms: words of the question, so free text like the question itself.</summary>
    public const string UnknownTermsPath = "unknown_terms";

    /// <summary>An unanswered Ask: why, what no statement covers, and its unknown terms, masked as configured.</summary>
    private void EncodeAbstention(AskResponse? ask, EncodedEvaluationLog into)
    {
        into.UnknownTerms.Clear();
        into.Abstention = 0;
        into.Unanswered = "";
        if (ask is null || ask.Covered)
        {
            return;
        }
        into.Abstention = (int)ask.Abstention;
        into.Unanswered = string.Join(" + ", ask.Unanswered.Select(c => c.ToLowerInvariant()));
        if (ask.UnknownTerms.Count == 0)
        {
            return;
        }
        switch (options.MaskFor(UnknownTermsPath))
        {
            case MaskAction.Redact:
                _masked.Add(UnknownTermsPath + ":redact");
                into.UnknownTerms.Add(EvaluationLogOptions.RedactedValue);
                break;
            case MaskAction.Erase:
                _masked.Add(UnknownTermsPath + ":erase");
                break;
            default:
                foreach (var term in ask.UnknownTerms.Select(t => t.ToLowerInvariant()).Distinct(StringComparer.Ordinal))
                {
                    into.UnknownTerms.Add(term);
                }
                break;
        }
    }

    /// <summary>Masks one free-text value on its own (feedback comments); notes it in <paramref name="masked"/>.</summary>
    public static string MaskText(EvaluationLogOptions options, string path, string value, List<string> masked)
    {
        if (value.Length == 0)
        {
            return value;
        }
        switch (options.MaskFor(path))
        {
            case MaskAction.Redact:
                masked.Add(path + ":redact");
                return EvaluationLogOptions.RedactedValue;
            case MaskAction.Erase:
                masked.Add(path + ":erase");
                return "";
            default:
                return value;
        }
    }

    public void Dispose() => _json?.Dispose();

    /// <summary>At most <paramref name="max"/> characters, never splitting a surrogate pair.</summary>
    public static string Bounded(string text, int max)
    {
        if (text.Length <= max)
        {
            return text;
        }
        var length = char.IsHighSurrogate(text[max - 1]) ? max - 1 : max;
        return text[..length];
    }

    public const string StatementCardPrefix = "statement:";

    public static string StringArray(List<string> values)
    {
        if (values.Count == 0)
        {
            return "[]";
        }
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var value in values)
            {
                json.WriteStringValue(value);
            }
            json.WriteEndArray();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static byte[] EncodeCard(Card card)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            WriteCard(json, card.Id, (int)card.Kind, (int)card.Severity, card.RuleIds);
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// UTF-8 JSON per key, encoded the first time the key is seen. Bounded: it starts over when full (new releases bring
    /// new cards; the old ones are not needed again).
    /// </summary>
    private sealed class EncodedOnce<TKey>(IEqualityComparer<TKey> comparer, Func<TKey, byte[]> encode) where TKey : notnull
    {
        private const int MaxEntries = 4096;
        private readonly Dictionary<TKey, byte[]> _encoded = new(comparer);

        public byte[] Get(TKey key)
        {
            if (!_encoded.TryGetValue(key, out var bytes))
            {
                if (_encoded.Count >= MaxEntries)
                {
                    _encoded.Clear();
                }
                bytes = encode(key);
                _encoded[key] = bytes;
            }
            return bytes;
        }
    }

    private static void WriteCard(Utf8JsonWriter json, string id, int kind, int severity, IEnumerable<string>? rules)
    {
        json.WriteStartObject();
        json.WriteString("id", id);
        json.WriteNumber("kind", kind);
        json.WriteNumber("severity", severity);
        json.WriteStartArray("rules");
        if (rules is not null)
        {
            foreach (var rule in rules)
            {
                json.WriteStringValue(rule);
            }
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private Utf8JsonWriter Begin(ArrayBufferWriter<byte> buffer)
    {
        buffer.ResetWrittenCount();
        if (_json is null)
        {
            _json = new Utf8JsonWriter(buffer);
        }
        else
        {
            _json.Reset(buffer);
        }
        return _json;
    }

    /// <summary>Writes a message as protobuf JSON (camelCase names, enum names) with masked fields redacted or left out.</summary>
    private void WriteMessage(Utf8JsonWriter json, IMessage message, string prefix)
    {
        json.WriteStartObject();
        foreach (var plan in PlansFor(message.Descriptor, prefix))
        {
            var (field, accessor, path, action) = (plan.Field, plan.Accessor, plan.Path, plan.Action);
            object? value = null;
            bool present;
            if (field.HasPresence)
            {
                present = accessor.HasValue(message);
            }
            else
            {
                value = accessor.GetValue(message);
                present = !IsDefault(field, value);
            }
            if (!present)
            {
                continue;
            }
            if (action == MaskAction.Erase)
            {
                _masked.Add(path + ":erase");
                continue;
            }
            if (action == MaskAction.Redact)
            {
                _masked.Add(path + ":redact");
                json.WriteString(plan.JsonName, EvaluationLogOptions.RedactedValue);
                continue;
            }
            value ??= accessor.GetValue(message);
            switch (field.FieldType)
            {
                case FieldType.Message:
                    json.WritePropertyName(plan.JsonName);
                    WriteMessage(json, (IMessage)value, path);
                    break;
                case FieldType.Enum:
                    var number = Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture);
                    if (plan.EnumNames!.TryGetValue(number, out var known))
                    {
                        json.WriteString(plan.JsonName, known);
                    }
                    else
                    {
                        json.WriteNumber(plan.JsonName, number);
                    }
                    break;
                case FieldType.String:
                    var text = (string)value;
                    if (text.Length > options.MaxStoredTextLength)
                    {
                        // An oversized (refused) value is kept as its start and its length, never in full.
                        _masked.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{path}:truncated:{text.Length}"));
                        text = Bounded(text, options.MaxStoredTextLength);
                    }
                    json.WriteString(plan.JsonName, text);
                    break;
                case FieldType.Bool:
                    json.WriteBoolean(plan.JsonName, (bool)value);
                    break;
                case FieldType.Double:
                    WriteDouble(json, plan.JsonName, (double)value);
                    break;
                case FieldType.Float:
                    WriteDouble(json, plan.JsonName, (float)value);
                    break;
                case FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32:
                    json.WriteNumber(plan.JsonName, (int)value);
                    break;
                case FieldType.UInt32 or FieldType.Fixed32:
                    json.WriteNumber(plan.JsonName, (uint)value);
                    break;
                case FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64:
                    json.WriteString(plan.JsonName, ((long)value).ToString(System.Globalization.CultureInfo.InvariantCulture));
                    break;
                case FieldType.UInt64 or FieldType.Fixed64:
                    json.WriteString(plan.JsonName, ((ulong)value).ToString(System.Globalization.CultureInfo.InvariantCulture));
                    break;
                default:
                    break;
            }
        }
        json.WriteEndObject();
    }

    private static void WriteDouble(Utf8JsonWriter json, JsonEncodedText name, double value)
    {
        // Invalid requests may carry NaN or infinity, which JSON numbers cannot hold; protobuf JSON spells them as strings.
        if (double.IsFinite(value))
        {
            json.WriteNumber(name, value);
        }
        else
        {
            json.WriteString(name, double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");
        }
    }

    /// <summary>A field's accessor, path, masking decision and pre-encoded JSON names, worked out once per message type and path.</summary>
    private sealed record FieldPlan(
        FieldDescriptor Field, IFieldAccessor Accessor, string Path, MaskAction Action, JsonEncodedText JsonName,
        Dictionary<int, JsonEncodedText>? EnumNames);

    /// <summary>
    /// The plans of a message's fields in field-number order, at this path. The evaluated requests have no repeated or
    /// map fields; a future one is left out of the log.
    /// </summary>
    private FieldPlan[] PlansFor(MessageDescriptor descriptor, string prefix)
    {
        if (!_messagePlans.TryGetValue((descriptor, prefix), out var plans))
        {
            plans = [.. descriptor.Fields.InFieldNumberOrder().Where(field => !field.IsRepeated && !field.IsMap).Select(field =>
            {
                var path = prefix.Length == 0 ? field.Name : prefix + "." + field.Name;
                return new FieldPlan(field, field.Accessor, path, options.MaskFor(path), JsonEncodedText.Encode(field.JsonName),
                    field.FieldType == FieldType.Enum ? field.EnumType.Values.ToDictionary(v => v.Number, v => JsonEncodedText.Encode(v.Name)) : null);
            })];
            _messagePlans[(descriptor, prefix)] = plans;
        }
        return plans;
    }

    private static bool IsDefault(FieldDescriptor field, object value) => field.FieldType switch
    {
        FieldType.String => ((string)value).Length == 0,
        FieldType.Bool => !(bool)value,
        FieldType.Enum => Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture) == 0,
        FieldType.Double => (double)value == 0,
        FieldType.Float => (float)value == 0,
        FieldType.Message => value is null,
        FieldType.Bytes => ((ByteString)value).IsEmpty,
        _ => Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture) == 0,
    };
}
