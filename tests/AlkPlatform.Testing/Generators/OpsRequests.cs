using System.Text;
using AlkPlatform.Contracts.Ops.V1;
using AlkPlatform.Contracts.Recommendation.V1;
using CsCheck;
using Google.Protobuf.WellKnownTypes;

namespace AlkPlatform.Testing.Generators;

/// <summary>
/// Generated requests for every ops query: filters over the values in the log and beyond, timestamps inside and outside
/// the range a timestamp can hold, any page size, page tokens the service issued and forged ones, any enum value.
/// </summary>
public sealed class OpsRequests(LoggedValues logged)
{
    /// <summary>The range <c>google.protobuf.Timestamp</c> allows: 0001-01-01 to 9999-12-31, nanos below a second.</summary>
    public const long MinSeconds = -62_135_596_800, MaxSeconds = 253_402_300_799;

    public Gen<Timestamp?> Time => Gen.Frequency(
        (3, Gen.Const((Timestamp?)null)),
        (4, Gen.Long[logged.First.ToUnixTimeMilliseconds() - 120_000, logged.Last.ToUnixTimeMilliseconds() + 120_000]
            .Select(ms => (Timestamp?)Timestamp.FromDateTimeOffset(DateTimeOffset.FromUnixTimeMilliseconds(ms)))),
        (1, Gen.Select(Gen.Long[MinSeconds, MaxSeconds], Gen.Int[0, 999_999_999], (s, n) => (Timestamp?)new Timestamp { Seconds = s, Nanos = n })),
        (2, Gen.Select(
            Gen.Frequency((1, Gen.Long[MinSeconds, MaxSeconds]), (1, Gen.OneOf(MinSeconds - 1, MaxSeconds + 1, long.MinValue, long.MaxValue)), (1, Gen.Long)),
            Gen.Frequency((1, Gen.Int[0, 999_999_999]), (1, Gen.OneOf(-1, 1_000_000_000, int.MinValue, int.MaxValue)), (1, Gen.Int)),
            (s, n) => (Timestamp?)new Timestamp { Seconds = s, Nanos = n })));

    public Gen<EvaluationLogFilter?> Filter => Gen.Select(
        Gen.Select(Time, Time, OneOfOrAny(logged.Callers), OneOfOrAny(["alk-lbcl"]), OneOfOrAny(logged.ReleaseIds), OneOfOrAny(logged.CardIds)),
        Gen.Select(GeneratedValues.AnyEnum<Severity>(), StatusCode, Gen.Frequency((3, Gen.Const(false)), (1, Gen.Const(true))), Latency, Latency, GeneratedValues.AnyEnum<EvaluationMethod>()),
        (a, b) =>
        {
            var filter = new EvaluationLogFilter
            {
                From = a.Item1,
                To = a.Item2,
                Caller = a.Item3,
                GuidelineId = a.Item4,
                ReleaseId = a.Item5,
                CardId = a.Item6,
                Severity = b.Item1,
                ErrorsOnly = b.Item3,
                Method = b.Item6,
            };
            if (b.Item2 is { } status)
            {
                filter.StatusCode = status;
            }
            if (b.Item4 is { } min)
            {
                filter.MinLatencyUs = min;
            }
            if (b.Item5 is { } max)
            {
                filter.MaxLatencyUs = max;
            }
            return filter;
        }).Null(0.15);

    public Gen<string> PageToken => Gen.Frequency(
        (3, Gen.Const("")),
        (3, logged.PageTokens.Count == 0 ? Gen.Const("") : Gen.OneOf([.. logged.PageTokens])),
        (1, GeneratedText.Tainted(logged.PageTokens.Count == 0 ? Gen.Const("MTox") : Gen.OneOf([.. logged.PageTokens]))),
        (2, Gen.Select(Gen.Long, Gen.Long, Gen.OneOf(":", "::", ";", ""), (ms, seq, sep) => Base64($"{ms}{sep}{seq}"))),
        (1, GeneratedText.Any(200).Select(Base64)),
        (2, GeneratedText.Any(300)));

    public Gen<QueryEvaluationLogsRequest> Query => Gen.Select(Filter, PageSize(500), PageToken, (filter, size, token) =>
        new QueryEvaluationLogsRequest { Filter = filter, PageSize = size, PageToken = token });

    public Gen<GetEvaluationLogAggregatesRequest> Aggregates => Gen.Select(Filter, PageSize(100), (filter, top) =>
        new GetEvaluationLogAggregatesRequest { Filter = filter, Top = top });

    public Gen<ExportEvaluationLogsRequest> Export => Gen.Select(Filter, GeneratedValues.AnyEnum<ExportFormat>(), (filter, format) =>
        new ExportEvaluationLogsRequest { Filter = filter, Format = format });

    /// <summary>Ids of logged evaluations, other well-formed ids, and anything else.</summary>
    public Gen<string> EvaluationId => Gen.Frequency(
        (4, Gen.OneOf([.. logged.EvaluationIds])),
        (1, Gen.Guid.Select(g => g.ToString())),
        (1, GeneratedText.Tainted(Gen.OneOf([.. logged.EvaluationIds]))),
        (1, GeneratedText.Any(300)));

    public Gen<GetFeedbackSummaryRequest> FeedbackSummary => Gen.Select(Time, Time, OneOfOrAny(["alk-lbcl"]), OneOfOrAny(logged.ReleaseIds),
        (from, to, guideline, release) => new GetFeedbackSummaryRequest { From = from, To = to, GuidelineId = guideline, ReleaseId = release });

    private static Gen<int?> StatusCode => Gen.Frequency(
        (3, Gen.Const((int?)null)),
        (3, Gen.Int[0, 16].Select(i => (int?)i)),
        (1, Gen.Int.Select(i => (int?)i)));

    private static Gen<long?> Latency => Gen.Frequency(
        (3, Gen.Const((long?)null)),
        (2, Gen.Long[0, 20_000].Select(l => (long?)l)),
        (1, Gen.Long.Select(l => (long?)l)));

    /// <summary>Mostly within the allowed 0 to <paramref name="max"/>, sometimes on either side of it or anywhere.</summary>
    private static Gen<int> PageSize(int max) => Gen.Frequency(
        (4, Gen.Int[0, 20]),
        (2, Gen.OneOf(-1, max, max + 1, int.MinValue, int.MaxValue)),
        (1, Gen.Int));

    private static Gen<string> OneOfOrAny(IReadOnlyList<string> values) => Gen.Frequency(
        (3, Gen.Const("")),
        (3, values.Count == 0 ? Gen.Const("") : Gen.OneOf([.. values])),
        (1, GeneratedText.Any(300)));

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
}
