using System.Collections.Concurrent;
using AlkPlatform.Contracts.Ops.V1;
using AlkPlatform.Contracts.Recommendation.V1;
using AlkPlatform.Recommendations.Releases;
using Google.Protobuf;
using Grpc.Core;

namespace AlkPlatform.Recommendations.EvaluationLogs;

/// <summary>
/// Re-evaluates a logged Recommend input against the release it used (loaded from the releases table) and against the
/// live release, and compares both with what was logged.
/// </summary>
public sealed class EvaluationReplayer(EvaluationLogQueries queries, ReleaseStore store, ReleaseCatalog catalog) : IDisposable
{
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));
    private readonly ConcurrentDictionary<string, Lazy<LiveRelease>> _pastReleases = new(StringComparer.Ordinal);

    public ReplayEvaluationResponse Replay(string evaluationId)
    {
        var row = queries.Find(evaluationId)
            ?? throw new RpcException(new Status(StatusCode.NotFound, $"No evaluation '{evaluationId}' is on record."));
        if (row.Method != (long)EvaluationMethod.Recommend || row.StatusCode != 0)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition,
                "Only answered Recommend evaluations can be replayed: they alone have an input that determines cards."));
        }
        var request = Parser.Parse<RecommendRequest>(row.InputJson);
        var logged = new EvaluationOutcome { ReleaseId = row.ReleaseId, ContentHash = row.ContentHash };
        logged.Cards.AddRange(EvaluationLogRow.ParseCards(row.CardsJson));
        logged.RulesFired.AddRange(EvaluationLogRow.ParseStrings(row.RulesFired));
        logged.MissingFacts.AddRange(EvaluationLogRow.ParseStrings(row.MissingFacts));

        var response = new ReplayEvaluationResponse
        {
            Logged = logged,
            LoggedRelease = Compare(logged, Evaluate(PastRelease(row.ReleaseId), request)),
        };
        response.MaskedFields.AddRange(EvaluationLogRow.ParseStrings(row.MaskedFields));
        if (catalog.Current.Live.TryGetValue(row.GuidelineId, out var live))
        {
            response.LiveRelease = Compare(logged, Evaluate(live, request));
        }
        return response;
    }

    private LiveRelease PastRelease(string releaseId)
    {
        if (catalog.Current.Live.TryGetValue(ReleaseGuideline(releaseId), out var live) && live.Release.ReleaseId == releaseId)
        {
            return live;
        }
        // Past releases are compiled once and kept: an ops session tends to replay many evaluations of the same release.
        return _pastReleases.GetOrAdd(releaseId, id => new Lazy<LiveRelease>(() =>
        {
            var release = store.Find(id)
                ?? throw new RpcException(new Status(StatusCode.NotFound, $"Release '{id}' is not in this service's store."));
            return LiveRelease.Prepare(release);
        })).Value;
    }

    private static string ReleaseGuideline(string releaseId)
    {
        var at = releaseId.IndexOf('@', StringComparison.Ordinal);
        return at < 0 ? releaseId : releaseId[..at];
    }

    /// <summary>The Recommend answer for this release, assembled as RecommendationApi assembles it.</summary>
    public static EvaluationOutcome Evaluate(LiveRelease release, RecommendRequest request)
    {
        var values = release.Compiled.NewFactVector();
        var violations = release.FactsMap.Map(request.Facts, values);
        if (violations is { Count: > 0 })
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition,
                $"The logged input is not valid for release {release.Release.ReleaseId}: {violations[0].Field} {violations[0].Description}"));
        }
        var evaluation = release.Compiled.Evaluate(values);
        var outcome = new EvaluationOutcome { ReleaseId = release.Release.ReleaseId, ContentHash = release.Release.ContentHash };
        foreach (var conflict in evaluation.Conflicts)
        {
            outcome.Cards.Add(ToLogged(release.ConflictCardFor(request.Audience, conflict)));
        }
        foreach (var hit in evaluation.Hits)
        {
            outcome.Cards.Add(ToLogged(release.CardFor(request.Audience, hit)));
        }
        foreach (var firing in evaluation.Explain())
        {
            outcome.RulesFired.Add(firing.RuleId);
        }
        foreach (var missing in evaluation.MissingFacts())
        {
            outcome.MissingFacts.Add(missing.Fact);
        }
        return outcome;
    }

    private static LoggedCard ToLogged(Card card)
    {
        var logged = new LoggedCard { CardId = card.Id, Kind = card.Kind, Severity = card.Severity };
        logged.RuleIds.AddRange(card.RuleIds);
        return logged;
    }

    public static OutcomeComparison Compare(EvaluationOutcome logged, EvaluationOutcome replayed)
    {
        var comparison = new OutcomeComparison { Outcome = replayed };
        var before = logged.Cards.ToDictionary(c => c.CardId, StringComparer.Ordinal);
        var after = replayed.Cards.ToDictionary(c => c.CardId, StringComparer.Ordinal);
        comparison.CardsAdded.AddRange(replayed.Cards.Where(c => !before.ContainsKey(c.CardId)).Select(c => c.CardId));
        comparison.CardsRemoved.AddRange(logged.Cards.Where(c => !after.ContainsKey(c.CardId)).Select(c => c.CardId));
        foreach (var card in logged.Cards)
        {
            if (!after.TryGetValue(card.CardId, out var now))
            {
                continue;
            }
            var change = new CardChange { CardId = card.CardId };
            if (card.Kind != now.Kind)
            {
                change.Differences.Add($"kind {card.Kind} -> {now.Kind}");
            }
            if (card.Severity != now.Severity)
            {
                change.Differences.Add($"severity {card.Severity} -> {now.Severity}");
            }
            if (!card.RuleIds.SequenceEqual(now.RuleIds))
            {
                change.Differences.Add($"rules [{string.Join(", ", card.RuleIds)}] -> [{string.Join(", ", now.RuleIds)}]");
            }
            if (change.Differences.Count > 0)
            {
                comparison.CardsChanged.Add(change);
            }
        }
        var common = logged.Cards.Select(c => c.CardId).Where(after.ContainsKey);
        var commonNow = replayed.Cards.Select(c => c.CardId).Where(before.ContainsKey);
        comparison.OrderChanged = !common.SequenceEqual(commonNow);
        comparison.RulesAdded.AddRange(replayed.RulesFired.Except(logged.RulesFired));
        comparison.RulesRemoved.AddRange(logged.RulesFired.Except(replayed.RulesFired));
        comparison.MissingFactsAdded.AddRange(replayed.MissingFacts.Except(logged.MissingFacts));
        comparison.MissingFactsRemoved.AddRange(logged.MissingFacts.Except(replayed.MissingFacts));
        comparison.Identical = logged.Cards.Equals(replayed.Cards)
            && logged.RulesFired.Equals(replayed.RulesFired)
            && logged.MissingFacts.Equals(replayed.MissingFacts);
        return comparison;
    }

    public void Dispose()
    {
        foreach (var release in _pastReleases.Values)
        {
            if (release.IsValueCreated)
            {
                release.Value.Dispose();
            }
        }
    }
}
