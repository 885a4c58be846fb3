using AlkPlatform.Contracts.Recommendation.V1;
using AlkPlatform.Recommendations.Authentication;
using FeedState = AlkPlatform.Recommendations.ReleaseFeed.ReleaseFeedStatus;
using AlkPlatform.Recommendations.Limits;
using AlkPlatform.Recommendations.Releases;
using AlkPlatform.Recommendations.Validation;
using Google.Rpc;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;

namespace AlkPlatform.Recommendations.Recommend;

/// <summary>
/// The gRPC face of the service: checks the call's bounds first, then validates, evaluates against one catalog snapshot and
/// answers with provenance.
/// </summary>
[BindServiceMethod(typeof(RecommendationServiceBinder), nameof(RecommendationServiceBinder.BindService))]
public sealed class RecommendationApi(ReleaseCatalog catalog, FeedState feed, RequestLimits limits, CallerAuthentication authentication) : RecommendationService.RecommendationServiceBase
{
    [Authorize(Policy = CallerPolicies.RecommendationsRead)]
    public override Task<RecommendResponse> Recommend(RecommendRequest request, ServerCallContext context)
    {
        List<BadRequest.Types.FieldViolation>? violations = null;
        limits.CheckCall(ref violations, context, request.GuidelineId);
        FieldViolations.ThrowIfAny(violations);

        // The headers and the guideline id come first (before any lookup); every other bad field is named together.
        var release = ResolveRelease(request.GuidelineId);
        var values = release.Compiled.NewFactVector();
        violations = release.FactsMap.Map(request.Facts, values);
        limits.CheckCorrelationId(ref violations, request.CorrelationId);
        CheckAudience(ref violations, request.Audience);
        FieldViolations.ThrowIfAny(violations);

        var evaluation = release.Compiled.Evaluate(values);
        var response = new RecommendResponse
        {
            EvaluationId = NewEvaluationId(),
            Release = release.Provenance,
        };
        foreach (var conflict in evaluation.Conflicts)
        {
            response.Cards.Add(release.ConflictCardFor(request.Audience, conflict));
        }
        foreach (var hit in evaluation.Hits)
        {
            response.Cards.Add(release.CardFor(request.Audience, hit));
        }
        foreach (var missing in evaluation.MissingFacts())
        {
            var proto = new MissingFact { Fact = missing.Fact, Question = missing.Question };
            proto.Affects.AddRange(missing.Affects);
            proto.RuleIds.AddRange(missing.RuleIds);
            response.MissingFacts.Add(proto);
        }
        // Same content as evaluation.Explain(); rules over yes/no and enum facts reuse the release's prepared firings.
        foreach (var hit in evaluation.Hits)
        {
            response.Explanation.Add(release.FiringFor(hit.Rule, values));
        }
        return Task.FromResult(response);
    }

    [Authorize(Policy = CallerPolicies.RecommendationsRead)]
    public override Task<GetGuidelineResponse> GetGuideline(GetGuidelineRequest request, ServerCallContext context)
    {
        List<BadRequest.Types.FieldViolation>? violations = null;
        limits.CheckCall(ref violations, context, request.GuidelineId);
        FieldViolations.ThrowIfAny(violations);
        var release = ResolveRelease(request.GuidelineId);
        CheckAudience(ref violations, request.Audience);
        FieldViolations.ThrowIfAny(violations);
        return Task.FromResult(new GetGuidelineResponse
        {
            EvaluationId = NewEvaluationId(),
            Guideline = release.PageFor(request.Audience),
            Release = release.Provenance,
        });
    }

    [Authorize(Policy = CallerPolicies.RecommendationsRead)]
    public override Task<AskResponse> Ask(AskRequest request, ServerCallContext context)
    {
        List<BadRequest.Types.FieldViolation>? violations = null;
        limits.CheckCall(ref violations, context, request.GuidelineId);
        FieldViolations.ThrowIfAny(violations);

        var release = ResolveRelease(request.GuidelineId);
        limits.CheckQuestion(ref violations, request.Question);
        CheckAudience(ref violations, request.Audience);
        if (string.IsNullOrWhiteSpace(request.Question))
        {
            FieldViolations.Add(ref violations, "question", "is required");
        }
        if (request.MaxResults is < 0 or > 10)
        {
            FieldViolations.Add(ref violations, "max_results", "must be between 1 and 10 (0 means 3)");
        }
        FieldViolations.ThrowIfAny(violations);

        return Task.FromResult(AskResponses.Answer(release, request, NewEvaluationId()));
    }

    [Authorize(Policy = CallerPolicies.ListGuidelines)]
    public override Task<ListGuidelinesResponse> ListGuidelines(ListGuidelinesRequest request, ServerCallContext context)
    {
        List<BadRequest.Types.FieldViolation>? violations = null;
        limits.CheckHeaders(ref violations, context);
        FieldViolations.ThrowIfAny(violations);
        var snapshot = catalog.Current;
        var response = new ListGuidelinesResponse
        {
            Feed = new Contracts.Recommendation.V1.ReleaseFeedStatus
            {
                Configured = feed.Configured,
                Connected = feed.Connected,
                LastError = feed.LastError,
                LastEventAt = feed.LastEventAt is { } at ? Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(at) : null,
            },
            Authentication = authentication.ToProto(),
        };
        foreach (var (id, release) in snapshot.Live)
        {
            response.Guidelines.Add(new GuidelineSummary { Id = id, Title = release.Compiled.Content.Title, Release = release.Provenance });
        }
        foreach (var retired in snapshot.Retired.Values)
        {
            response.Retired.Add(new RetiredGuideline
            {
                GuidelineId = retired.GuidelineId,
                Reason = retired.Reason,
                RetiredAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(retired.RetiredAt),
            });
        }
        return Task.FromResult(response);
    }

    private LiveRelease ResolveRelease(string guidelineId)
    {
        var snapshot = catalog.Current;
        if (string.IsNullOrEmpty(guidelineId))
        {
            if (snapshot.Live.Count == 1)
            {
                foreach (var (_, only) in snapshot.Live)
                {
                    return only;
                }
            }
            if (snapshot.Live.IsEmpty)
            {
                throw new RpcException(new Grpc.Core.Status(StatusCode.Unavailable, "No guideline release is being served yet."));
            }
            throw FieldViolations.Invalid("guideline_id", $"is required when several guidelines are served ({string.Join(", ", snapshot.Live.Keys)})");
        }
        if (snapshot.Live.TryGetValue(guidelineId, out var release))
        {
            return release;
        }
        if (snapshot.Retired.TryGetValue(guidelineId, out var retired))
        {
            throw new RpcException(new Grpc.Core.Status(StatusCode.FailedPrecondition,
                $"Guideline '{guidelineId}' is retired and no longer served: {retired.Reason}"));
        }
        // Echoed only because CheckCall bounded it to a valid id.
        throw new RpcException(new Grpc.Core.Status(StatusCode.NotFound, $"Guideline '{guidelineId}' is not served here."));
    }

    private static void CheckAudience(ref List<BadRequest.Types.FieldViolation>? violations, Audience audience)
    {
        if (audience is not (Audience.Unspecified or Audience.Clinician or Audience.Patient))
        {
            FieldViolations.Add(ref violations, "audience", $"unknown value {(int)audience}");
        }
    }

    private static string NewEvaluationId() => Guid.CreateVersion7().ToString();
}
