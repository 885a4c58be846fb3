using AlkPlatform.Guidelines.Releases;
using AlkPlatform.Guidelines.Storage;

namespace AlkPlatform.Recommendations.Releases;

/// <summary>
/// The one way a release goes live in this service: verify and prepare it (outside any lock), persist it as the last good
/// release, then swap it in. A release that fails verification changes nothing.
/// </summary>
public sealed class ReleaseActivator(ReleaseCatalog catalog, ReleaseStore store, TimeProvider clock, ILogger<ReleaseActivator> logger)
{
    public LiveRelease Activate(Release release)
    {
        if (catalog.Current.Live.TryGetValue(release.GuidelineId, out var serving) && serving.Release.ReleaseId == release.ReleaseId)
        {
            return serving;
        }
        var live = LiveRelease.Prepare(release);
        store.SaveAndActivate(release, clock.GetUtcNow());
        catalog.Activate(live);
        logger.LogInformation("Serving {GuidelineId} release {ReleaseId} (revision {Revision}, hash {Hash})",
            release.GuidelineId, release.ReleaseId, release.RevisionNumber, release.ContentHash);
        return live;
    }

    public void Retire(string guidelineId, string reason)
    {
        var retired = new RetiredGuideline(guidelineId, reason, clock.GetUtcNow());
        store.Retire(guidelineId, reason, retired.RetiredAt);
        catalog.Retire(retired);
        logger.LogWarning("Guideline {GuidelineId} retired: {Reason}", guidelineId, reason);
    }

    /// <summary>Serves what was persisted; on a first start with no feed, the bundled seed release.</summary>
    public void RestoreOnStartup(bool feedConfigured)
    {
        foreach (var retired in store.LoadRetired())
        {
            catalog.Retire(retired);
        }
        foreach (var release in store.LoadActive())
        {
            try
            {
                catalog.Activate(LiveRelease.Prepare(release));
                logger.LogInformation("Restored {GuidelineId} release {ReleaseId} from disk", release.GuidelineId, release.ReleaseId);
            }
            catch (Exception ex) when (ex is ReleaseVerificationException or Guidelines.Content.GuidelineValidationException)
            {
                logger.LogError(ex, "Persisted release {ReleaseId} failed verification; not serving it", release.ReleaseId);
            }
        }
        var current = catalog.Current;
        if (!feedConfigured && current.Live.IsEmpty && current.Retired.IsEmpty)
        {
            Activate(BundledSeedRelease.Create());
        }
    }
}

/// <summary>Loads the releases before the server takes requests.</summary>
public sealed class ReleaseRestoreService(ReleaseActivator activator, IConfiguration configuration) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        activator.RestoreOnStartup(!string.IsNullOrWhiteSpace(configuration["ReleaseFeed:Address"]));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
