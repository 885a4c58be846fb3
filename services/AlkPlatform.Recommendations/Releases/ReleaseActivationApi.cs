using AlkPlatform.Contracts.Ops.V1;
using AlkPlatform.Contracts.Releases.V1;
using AlkPlatform.Recommendations.Authentication;
using AlkPlatform.Recommendations.ReleaseFeed;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace AlkPlatform.Recommendations.Releases;

/// <summary>
/// The signed events this service activated, byte for byte, for ops and the portal's audit-chain verifier: each envelope
/// carries the portal's chain head when it was signed, so a chain rewritten in the portal no longer matches them.
/// </summary>
[Authorize(Policy = CallerPolicies.EvaluationLogsRead)]
public sealed class ReleaseActivationApi(ReleaseStore store, IOptions<ReleaseFeedOptions> feed) : ReleaseActivationService.ReleaseActivationServiceBase
{
    public override Task<ListReleaseActivationsResponse> ListReleaseActivations(ListReleaseActivationsRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        var response = new ListReleaseActivationsResponse { ServiceId = feed.Value.ServiceId };
        foreach (var activation in store.ListActivations(request.GuidelineId.Length > 0 ? request.GuidelineId : null))
        {
            response.Activations.Add(new ReleaseActivation
            {
                SignedEvent = SignedEvent.FromDomain(activation.Event),
                ActivatedAt = Timestamp.FromDateTimeOffset(activation.ActivatedAt),
            });
        }
        return Task.FromResult(response);
    }
}
