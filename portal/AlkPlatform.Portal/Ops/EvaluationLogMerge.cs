using AlkPlatform.Contracts.Ops.V1;

namespace AlkPlatform.Portal.Ops;

/// <summary>
/// Sums what several replicas answered about their own evaluation logs into one answer, as if one log held them all —
/// except latency percentiles, which cannot be summed: the merged ones are each the highest replica's (an upper bound).
/// </summary>
public static class EvaluationLogMerge
{
    public static GetEvaluationLogAggregatesResponse Aggregates(IReadOnlyList<GetEvaluationLogAggregatesResponse> parts, int top)
    {
        ArgumentNullException.ThrowIfNull(parts);
        if (parts.Count == 1)
        {
            return parts[0];
        }
        var merged = new GetEvaluationLogAggregatesResponse
        {
            Total = parts.Sum(p => p.Total),
            ErrorCount = parts.Sum(p => p.ErrorCount),
            Latency = new LatencyPercentiles
            {
                P50Us = parts.Where(p => p.Total > 0).Select(p => p.Latency?.P50Us ?? 0).DefaultIfEmpty().Max(),
                P95Us = parts.Where(p => p.Total > 0).Select(p => p.Latency?.P95Us ?? 0).DefaultIfEmpty().Max(),
                P99Us = parts.Where(p => p.Total > 0).Select(p => p.Latency?.P99Us ?? 0).DefaultIfEmpty().Max(),
                MaxUs = parts.Where(p => p.Total > 0).Select(p => p.Latency?.MaxUs ?? 0).DefaultIfEmpty().Max(),
            },
        };
        merged.ErrorRate = merged.Total == 0 ? 0 : (double)merged.ErrorCount / merged.Total;
        merged.PerMinute.AddRange(parts.SelectMany(p => p.PerMinute)
            .GroupBy(m => m.Minute)
            .Select(g => new MinuteVolume { Minute = g.Key, Count = g.Sum(m => m.Count), ErrorCount = g.Sum(m => m.ErrorCount) })
            .OrderBy(m => m.Minute.ToDateTimeOffset()));
        merged.ByRelease.AddRange(Groups(parts.SelectMany(p => p.ByRelease), top));
        merged.ByCaller.AddRange(Groups(parts.SelectMany(p => p.ByCaller), top));
        merged.ByCard.AddRange(Groups(parts.SelectMany(p => p.ByCard), top));
        merged.LogRefusals.AddRange(parts.SelectMany(p => p.LogRefusals)
            .GroupBy(r => (r.Caller, r.Reason))
            .Select(g => new LogRefusalCount { Caller = g.Key.Caller, Reason = g.Key.Reason, Count = g.Sum(r => r.Count) })
            .OrderByDescending(r => r.Count).ThenBy(r => r.Caller, StringComparer.Ordinal));
        return merged;
    }

    public static GetFeedbackSummaryResponse Feedback(IReadOnlyList<GetFeedbackSummaryResponse> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        if (parts.Count == 1)
        {
            return parts[0];
        }
        var merged = new GetFeedbackSummaryResponse();
        merged.ByRule.AddRange(parts.SelectMany(p => p.ByRule)
            .GroupBy(r => (r.ReleaseId, r.RuleId))
            .Select(g =>
            {
                var (accepted, overridden) = (g.Sum(r => r.Accepted), g.Sum(r => r.Overridden));
                return new RuleFeedback
                {
                    ReleaseId = g.Key.ReleaseId, RuleId = g.Key.RuleId, Accepted = accepted, Overridden = overridden,
                    OverrideRate = accepted + overridden == 0 ? 0 : (double)overridden / (accepted + overridden),
                };
            })
            .OrderBy(r => r.ReleaseId, StringComparer.Ordinal).ThenBy(r => r.RuleId, StringComparer.Ordinal));
        merged.OverrideReasons.AddRange(parts.SelectMany(p => p.OverrideReasons)
            .GroupBy(r => r.ReasonCode)
            .Select(g => new OverrideReasonCount { ReasonCode = g.Key, Count = g.Sum(r => r.Count) })
            .OrderByDescending(r => r.Count).ThenBy(r => r.ReasonCode, StringComparer.Ordinal));
        return merged;
    }

    public static GetAskAbstentionsResponse Abstentions(IReadOnlyList<GetAskAbstentionsResponse> parts, int top, int examples)
    {
        ArgumentNullException.ThrowIfNull(parts);
        if (parts.Count == 1)
        {
            return parts[0];
        }
        var merged = new GetAskAbstentionsResponse { Asks = parts.Sum(p => p.Asks), Abstentions = parts.Sum(p => p.Abstentions) };
        merged.ByReason.AddRange(parts.SelectMany(p => p.ByReason)
            .GroupBy(r => r.Reason)
            .Select(g => new AbstentionReasonCount { Reason = g.Key, Count = g.Sum(r => r.Count) })
            .OrderByDescending(r => r.Count));
        merged.UnknownTerms.AddRange(Groups(parts.SelectMany(p => p.UnknownTerms), top, examples));
        merged.Uncovered.AddRange(Groups(parts.SelectMany(p => p.Uncovered), top, examples));
        return merged;
    }

    private static IEnumerable<GroupVolume> Groups(IEnumerable<GroupVolume> groups, int top) => groups
        .GroupBy(g => g.Key, StringComparer.Ordinal)
        .Select(g => new GroupVolume { Key = g.Key, Count = g.Sum(v => v.Count), ErrorCount = g.Sum(v => v.ErrorCount), Label = g.First().Label })
        .OrderByDescending(g => g.Count).ThenBy(g => g.Key, StringComparer.Ordinal)
        .Take(top);

    private static IEnumerable<AbstentionGroup> Groups(IEnumerable<AbstentionGroup> groups, int top, int examples) => groups
        .GroupBy(g => g.Key, StringComparer.Ordinal)
        .Select(g =>
        {
            var group = new AbstentionGroup { Key = g.Key, Count = g.Sum(v => v.Count) };
            group.Examples.AddRange(g.SelectMany(v => v.Examples).OrderByDescending(e => e.OccurredAt?.ToDateTimeOffset()).Take(examples));
            return group;
        })
        .OrderByDescending(g => g.Count).ThenBy(g => g.Key, StringComparer.Ordinal)
        .Take(top);
}
