using AlkPlatform.Contracts.Recommendation.V1;
using AlkPlatform.Portal.Ops;
using Grpc.Health.V1;

namespace AlkPlatform.Portal.Pages.Ops;

/// <summary>The recommendation service's health, its release feed, and the release each guideline is serving.</summary>
public sealed class IndexModel(RecommendationServiceConnection service) : OpsPage(service)
{
    public Uri? Address => Service.Address;

    public HealthCheckResponse.Types.ServingStatus? Health { get; private set; }

    public ListGuidelinesResponse? Guidelines { get; private set; }

    public async Task OnGetAsync()
    {
        Health = (await CallAsync(async () => await Service.Health.CheckAsync(new HealthCheckRequest(), Unary)))?.Status;
        if (Health is not null)
        {
            Guidelines = await CallAsync(async () => await Service.Recommendations.ListGuidelinesAsync(new ListGuidelinesRequest(), Unary));
        }
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
