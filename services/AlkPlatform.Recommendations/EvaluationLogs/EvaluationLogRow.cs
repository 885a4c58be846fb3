using System.Text.Json;
using AlkPlatform.Contracts.Ops.V1;
using Google.Protobuf.WellKnownTypes;
using Audience = AlkPlatform.Contracts.Recommendation.V1.Audience;
using CardKind = AlkPlatform.Contracts.Recommendation.V1.CardKind;
using Severity = AlkPlatform.Contracts.Recommendation.V1.Severity;

namespace AlkPlatform.Recommendations.EvaluationLogs;

/// <summary>A stored evaluation log row, as Dapper reads it.</summary>
public sealed class EvaluationLogRow
{
    public long Seq { get; init; }
    public string EvaluationId { get; init; } = "";
    public long OccurredAtMs { get; init; }
    public long Method { get; init; }
    public string Caller { get; init; } = "";
    public string GuidelineId { get; init; } = "";
    public string ReleaseId { get; init; } = "";
    public long RevisionNumber { get; init; }
    public string ContentHash { get; init; } = "";
    public long Audience { get; init; }
    public string InputJson { get; init; } = "";
    public string CardsJson { get; init; } = "[]";
    public string RulesFired { get; init; } = "[]";
    public string MissingFacts { get; init; } = "[]";
    public long StatusCode { get; init; }
    public string StatusMessage { get; init; } = "";
    public long LatencyUs { get; init; }
    public string TraceId { get; init; } = "";
    public string MaskedFields { get; init; } = "[]";
    /// <summary>Bit <c>1 &lt;&lt; severity</c> for each severity among the cards, for the severity filter.</summary>
    public long SeverityMask { get; init; }
    /// <summary>The set holding the cards (0 = none); <see cref="CardsJson"/> is already read from it.</summary>
    public long CardSetId { get; init; }
    public string CallerName { get; init; } = "";
    public string ClaimedCaller { get; init; } = "";
    public string Rpc { get; init; } = "";
    public string Credential { get; init; } = "";

    public EvaluationLogRecord ToProto(bool includeInput)
    {
        var record = new EvaluationLogRecord
        {
            EvaluationId = EvaluationId,
            OccurredAt = Timestamp.FromDateTimeOffset(DateTimeOffset.FromUnixTimeMilliseconds(OccurredAtMs)),
            Method = (EvaluationMethod)Method,
            Caller = Caller,
            GuidelineId = GuidelineId,
            ReleaseId = ReleaseId,
            RevisionNumber = (int)RevisionNumber,
            ContentHash = ContentHash,
            Audience = (Audience)Audience,
            InputJson = includeInput ? InputJson : "",
            StatusCode = (int)StatusCode,
            StatusMessage = StatusMessage,
            LatencyUs = LatencyUs,
            TraceId = TraceId,
            CallerName = CallerName,
            ClaimedCaller = ClaimedCaller,
            Rpc = Rpc,
            Credential = Credential,
        };
        record.Cards.AddRange(ParseCards(CardsJson));
        record.RulesFired.AddRange(ParseStrings(RulesFired));
        record.MissingFacts.AddRange(ParseStrings(MissingFacts));
        record.MaskedFields.AddRange(ParseStrings(MaskedFields));
        return record;
    }

    public static List<LoggedCard> ParseCards(string json)
    {
        var cards = new List<LoggedCard>();
        using var document = JsonDocument.Parse(json);
        foreach (var element in document.RootElement.EnumerateArray())
        {
            var card = new LoggedCard
            {
                CardId = element.GetProperty("id").GetString() ?? "",
                Kind = (CardKind)element.GetProperty("kind").GetInt32(),
                Severity = (Severity)element.GetProperty("severity").GetInt32(),
            };
            foreach (var rule in element.GetProperty("rules").EnumerateArray())
            {
                card.RuleIds.Add(rule.GetString() ?? "");
            }
            cards.Add(card);
        }
        return cards;
    }

    public static List<string> ParseStrings(string json)
    {
        var values = new List<string>();
        using var document = JsonDocument.Parse(json);
        foreach (var element in document.RootElement.EnumerateArray())
        {
            values.Add(element.GetString() ?? "");
        }
        return values;
    }
}
