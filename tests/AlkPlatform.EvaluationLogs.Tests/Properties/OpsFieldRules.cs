using AlkPlatform.Contracts.Ops.V1;
using AlkPlatform.Testing.Generators;
using AlkPlatform.Testing.Properties;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Severity = AlkPlatform.Contracts.Recommendation.V1.Severity;

namespace AlkPlatform.EvaluationLogs.Tests.Properties;

/// <summary>
/// The ops contract's rules for each request field, from the proto comments: the fields a request breaks, which its
/// refusal must name; and whether a returned record matches a filter, judged from the record alone.
/// </summary>
internal static class OpsFieldRules
{
    public static SortedSet<string> Filter(EvaluationLogFilter? filter, string prefix = "filter.")
    {
        var broken = new SortedSet<string>(StringComparer.Ordinal);
        if (filter is null)
        {
            return broken;
        }
        Time(broken, filter.From, prefix + "from");
        Time(broken, filter.To, prefix + "to");
        if (!GeneratedValues.IsDeclared(filter.Severity))
        {
            broken.Add(prefix + "severity");
        }
        if (!GeneratedValues.IsDeclared(filter.Method))
        {
            broken.Add(prefix + "method");
        }
        return broken;
    }

    public static void Time(SortedSet<string> broken, Timestamp? time, string field)
    {
        if (time is not null && (time.Seconds is < OpsRequests.MinSeconds or > OpsRequests.MaxSeconds || time.Nanos is < 0 or > 999_999_999))
        {
            broken.Add(field);
        }
    }

    /// <summary>Whether <paramref name="record"/> satisfies every set field of <paramref name="filter"/> (fields are ANDed).</summary>
    public static bool Matches(EvaluationLogFilter? filter, EvaluationLogRecord record)
    {
        if (filter is null)
        {
            return true;
        }
        var at = record.OccurredAt.ToDateTimeOffset().ToUnixTimeMilliseconds();
        return (filter.From is null || at >= filter.From.ToDateTimeOffset().ToUnixTimeMilliseconds())
            && (filter.To is null || at < filter.To.ToDateTimeOffset().ToUnixTimeMilliseconds())
            && (filter.Caller.Length == 0 || record.Caller == filter.Caller)
            && (filter.GuidelineId.Length == 0 || record.GuidelineId == filter.GuidelineId)
            && (filter.ReleaseId.Length == 0 || record.ReleaseId == filter.ReleaseId)
            && (filter.CardId.Length == 0 || record.Cards.Any(c => c.CardId == filter.CardId))
            && (filter.Severity == Severity.Unspecified || record.Cards.Any(c => c.Severity == filter.Severity))
            && (!filter.HasStatusCode || record.StatusCode == filter.StatusCode)
            && (!filter.ErrorsOnly || record.StatusCode != 0)
            && (!filter.HasMinLatencyUs || record.LatencyUs >= filter.MinLatencyUs)
            && (!filter.HasMaxLatencyUs || record.LatencyUs <= filter.MaxLatencyUs)
            && (filter.Method == EvaluationMethod.Unspecified || record.Method == filter.Method);
    }

    /// <summary>
    /// A refusal is never a fault; it is InvalidArgument naming every broken field, and nothing else except, perhaps, the
    /// fields in <paramref name="perhaps"/> (a forged page token may happen to decode). An answer means nothing was broken.
    /// </summary>
    public static void AssertOutcome(RpcException? refusal, SortedSet<string> broken, params string[] perhaps)
    {
        if (refusal is null)
        {
            Assert.True(broken.Count == 0, $"answered although the request breaks [{string.Join(", ", broken)}]");
            return;
        }
        Assert.False(Refusals.Faults.Contains(refusal.StatusCode), $"a generated request faulted the service: {Refusals.Describe(refusal)}");
        var named = Refusals.FieldsNamed(refusal);
        Assert.True(refusal.StatusCode == StatusCode.InvalidArgument && named.IsSupersetOf(broken) && named.All(f => broken.Contains(f) || perhaps.Contains(f)) && named.Count > 0,
            $"expected InvalidArgument naming [{string.Join(", ", broken)}]{(perhaps.Length > 0 ? $" (perhaps {string.Join(", ", perhaps)})" : "")}; got {Refusals.Describe(refusal)}");
    }
}
