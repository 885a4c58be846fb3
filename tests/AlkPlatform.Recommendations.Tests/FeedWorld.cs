using AlkPlatform.Contracts.Recommendation.V1;
using AlkPlatform.Guidelines.Releases;
using AlkPlatform.Guidelines.Releases.Signing;
using AlkPlatform.Testing;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;

namespace AlkPlatform.Recommendations.Tests;

/// <summary>
/// A signing test feed on a loopback port and the real service following it, trusting the feed's board key: the world of
/// every test that sends the service feed events. Disposing stops both (and deletes the service's data unless the test owns it).
/// </summary>
public sealed class FeedWorld : IAsyncDisposable
{
    private FeedWorld(TestReleaseFeed feed, RecommendationServiceHost service)
    {
        Feed = feed;
        Service = service;
        Client = service.Recommendations();
    }

    public TestReleaseFeed Feed { get; }
    public RecommendationServiceHost Service { get; }
    public RecommendationService.RecommendationServiceClient Client { get; }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <param name="settings">Settings on top of following the feed and trusting its key (they win).</param>
    /// <param name="board">The feed's signing key, to keep one across a restart; by default a new one.</param>
    /// <param name="services">Registrations after the service's own (e.g. telemetry exporters).</param>
    public static async Task<FeedWorld> StartAsync(
        IReadOnlyDictionary<string, string>? settings = null, string? dataDirectory = null, ReleaseSigningKey? board = null,
        Action<IServiceCollection>? services = null)
    {
        var feed = await TestReleaseFeed.StartAsync(board: board);
        var all = feed.ServiceSettings();
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            all[key] = value;
        }
        var service = new RecommendationServiceHost(all, dataDirectory: dataDirectory, services: services);
        _ = service.Server;
        return new FeedWorld(feed, service);
    }

    /// <summary>Polls ListGuidelines until the condition holds; the deadline is generous because this asserts arrival, not speed.</summary>
    public async Task<ListGuidelinesResponse> WaitFor(Func<ListGuidelinesResponse, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var response = await Client.ListGuidelinesAsync(new ListGuidelinesRequest(), cancellationToken: Ct);
            if (condition(response) || DateTime.UtcNow > deadline)
            {
                return response;
            }
            await Task.Delay(20, Ct);
        }
    }

    /// <summary>Waits until the guideline serves <paramref name="releaseId"/> and returns what ListGuidelines says then.</summary>
    public async Task<ListGuidelinesResponse> WaitUntilServing(string releaseId)
    {
        var listed = await WaitFor(r => r.Guidelines.Any(g => g.Release.ReleaseId == releaseId));
        Assert.Equal(releaseId, Assert.Single(listed.Guidelines).Release.ReleaseId);
        return listed;
    }

    /// <summary>Waits until ListGuidelines names a problem containing <paramref name="text"/>, and returns it.</summary>
    public async Task<ListGuidelinesResponse> WaitForProblem(string text)
    {
        var listed = await WaitFor(r => r.Feed.LastError.Contains(text, StringComparison.Ordinal));
        Assert.Contains(text, listed.Feed.LastError, StringComparison.Ordinal);
        return listed;
    }

    /// <summary>Publishes a board-approved revision as event <paramref name="sequence"/> and waits until it is served.</summary>
    public async Task<Release> PublishAndWait(int revisionNumber, long sequence)
    {
        var release = TestReleaseFeed.ApprovedRevision(revisionNumber);
        await Feed.PublishAsync(release, sequence);
        await WaitUntilServing(release.ReleaseId);
        return release;
    }

    /// <summary>The service's release health check, as the gRPC health service and the ops pages read it.</summary>
    public async Task<HealthReportEntry> ReleaseHealth()
    {
        var report = await Service.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(Ct);
        return report.Entries["releases"];
    }

    /// <summary>The dose the service answers for the reference patient (70 kg, relapsed/refractory): the seed says 300 mg alectinib.</summary>
    public async Task<double> AlectinibDose()
    {
        var answer = await Client.RecommendAsync(ReferencePatients.RelapsedRefractory70Kg, cancellationToken: Ct);
        return answer.Cards.Single(c => c.Id == "rr-alectinib").Therapy.Dose;
    }

    public async ValueTask DisposeAsync()
    {
        await Service.DisposeAsync();
        await Feed.DisposeAsync();
    }
}
