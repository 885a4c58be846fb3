using AlkPlatform.Contracts.Recommendation.V1;
using AlkPlatform.Portal.Ops;
using Grpc.Health.V1;

namespace AlkPlatform.Portal.Pages.Ops;

/// <summary>Each replica of the recommendation service: its health, its release feed, and the release each guideline is serving.</summary>
public sealed class IndexModel(RecommendationServiceConnection service) : OpsPage(service)
{
    public IReadOnlyList<ReplicaStatus> Replicas { get; private set; } = [];

    public async Task OnGetAsync()
    {
        var answers = await CallEachAsync(async replica => new ReplicaStatus(replica,
            (await replica.Health.CheckAsync(new HealthCheckRequest(), Unary)).Status,
            await replica.Recommendations.ListGuidelinesAsync(new ListGuidelinesRequest(), Unary)));
        Replicas = answers?.Select(a => a.Value).ToList() ?? [];
    }

    /// <summary>The service's standing problems, one per item: it joins them with " | " in its feed status.</summary>
    public static IReadOnlyList<string> FeedProblems(ReleaseFeedStatus? feed) =>
        string.IsNullOrEmpty(feed?.LastError) ? [] : feed.LastError.Split(" | ", StringSplitOptions.RemoveEmptyEntries);

    public static string HealthLabel(HealthCheckResponse.Types.ServingStatus status) => status switch
    {
        HealthCheckResponse.Types.ServingStatus.Serving => "Serving",
        HealthCheckResponse.Types.ServingStatus.NotServing => "Not serving",
        _ => status.ToString(),
    };
}
