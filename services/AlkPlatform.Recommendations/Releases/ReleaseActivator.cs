using AlkPlatform.Guidelines.Releases;
using AlkPlatform.Guidelines.Releases.Signing;
using AlkPlatform.Guidelines.Storage;
using AlkPlatform.Recommendations.ReleaseFeed;
using AlkPlatform.Recommendations.Telemetry;
using Microsoft.Extensions.Options;

namespace AlkPlatform.Recommendations.Releases;

/// <summary>
/// The one way a release goes live in this service: a signed event is verified against the guideline's active event,
/// prepared, persisted with its exact bytes, then swapped in. An event that fails any check changes nothing. Only with no
/// feed configured is an unsigned release served, and only the embedded seed or a benchmark's re-labelled copy of it.
/// </summary>
public sealed class ReleaseActivator(
    ReleaseCatalog catalog,
    ReleaseStore store,
    ReleaseEventVerifier verifier,
    ReleaseFeedStatus status,
    IOptions<ReleaseFeedOptions> feed,
    TimeProvider clock,
    ILogger<ReleaseActivator> logger)
{
    // One activation at a time: the lineage check and the write of the new active event must not interleave.
    private readonly Lock _gate = new();

    /// <summary>
    /// Activates a signed release or rollback and settles the guideline's standing refusals; the event already being
    /// served changes nothing.
    /// </summary>
    /// <exception cref="ReleaseVerificationException">The event is refused; nothing changed.</exception>
    public void ActivateSigned(string claimedGuidelineId, string claimedReleaseId, SignedReleaseEvent? signedEvent, ReadOnlyMemory<byte> content)
    {
        using var activity = StartActivation("release.activate", claimedGuidelineId, claimedReleaseId);
        try
        {
            lock (_gate)
            {
                var active = store.FindActive(claimedGuidelineId);
                var verified = verifier.VerifyRelease(claimedGuidelineId, claimedReleaseId, signedEvent, content, active?.Lineage);
                var release = verified.Release!;
                if (verified.AlreadyActive && catalog.Current.Live.TryGetValue(release.GuidelineId, out var serving) && serving.Release.ReleaseId == release.ReleaseId)
                {
                    activity?.SetTag("alk.release.outcome", "already_active");
                    return;
                }
                var live = LiveRelease.Prepare(release);
                var stored = store.SaveActivation(verified, clock.GetUtcNow());
                // Settled before the swap, so whoever sees the new release also sees its guideline's refusals gone.
                status.OnAccepted(release.GuidelineId);
                catalog.Activate(live);
                activity?.SetTag("alk.release.outcome", "activated");
                logger.LogInformation("Serving {GuidelineId} release {ReleaseId} (revision {Revision}, hash {Hash}): signed {Kind} {Sequence} by key {KeyId}",
                    release.GuidelineId, release.ReleaseId, release.RevisionNumber, release.ContentHash, verified.Envelope.Kind, stored.Sequence, stored.Event.KeyId);
            }
        }
        catch (Exception ex)
        {
            activity.RecordFailure(ex);
            throw;
        }
    }

    /// <summary>Takes the guideline offline on a signed retirement; the retirement already in force changes nothing.</summary>
    /// <exception cref="ReleaseVerificationException">The retirement is refused; the guideline keeps being served.</exception>
    public void RetireSigned(string claimedGuidelineId, SignedReleaseEvent? signedEvent)
    {
        using var activity = StartActivation("release.retire", claimedGuidelineId, releaseId: null);
        try
        {
            lock (_gate)
            {
                var active = store.FindActive(claimedGuidelineId);
                var verified = verifier.VerifyRetirement(claimedGuidelineId, signedEvent, active?.Lineage);
                var envelope = verified.Envelope;
                if (verified.AlreadyActive && catalog.Current.Retired.ContainsKey(envelope.GuidelineId))
                {
                    return;
                }
                var stored = store.SaveActivation(verified, clock.GetUtcNow());
                status.OnAccepted(envelope.GuidelineId);
                catalog.Retire(new RetiredGuideline(envelope.GuidelineId, envelope.Reason, envelope.EventAt));
                logger.LogWarning("Guideline {GuidelineId} retired: {Reason} (signed retirement {Sequence} by key {KeyId})",
                    envelope.GuidelineId, envelope.Reason, stored.Sequence, stored.Event.KeyId);
            }
        }
        catch (Exception ex)
        {
            activity.RecordFailure(ex);
            throw;
        }
    }

    /// <summary>Serves a release no board signed: the embedded seed, or the load benchmark's re-labelled copy of what is live.</summary>
    /// <exception cref="InvalidOperationException">A feed is configured: then the feed's signed events are the only source.</exception>
    public LiveRelease ActivateUnsigned(Release release)
    {
        ArgumentNullException.ThrowIfNull(release);
        if (feed.Value.Configured)
        {
            throw new InvalidOperationException(
                $"Release {release.ReleaseId} is not signed: with ReleaseFeed:Address set, only signed events from the feed go live.");
        }
        using var activity = StartActivation("release.activate", release.GuidelineId, release.ReleaseId);
        activity?.SetTag("alk.release.signed", false);
        lock (_gate)
        {
            var live = LiveRelease.Prepare(release);
            store.SaveRelease(release);
            catalog.Activate(live);
            logger.LogInformation("Serving {GuidelineId} release {ReleaseId} (revision {Revision}, hash {Hash}), unsigned: {Basis}",
                release.GuidelineId, release.ReleaseId, release.RevisionNumber, release.ContentHash, release.ApprovalBasis);
            return live;
        }
    }

    /// <summary>
    /// Serves each guideline's persisted active event once it verifies again under the keys and quorum trusted now (a key
    /// removed from trust is revoked, and bytes changed on disk no longer verify); with no feed configured and nothing
    /// else to serve, the embedded seed.
    /// </summary>
    public void RestoreOnStartup()
    {
        foreach (var stored in store.LoadActive())
        {
            try
            {
                Restore(stored);
            }
            catch (Exception ex)
            {
                // Whatever is wrong with it, the service starts; ops see what it is not serving and why.
                var subject = stored.Kind == ReleaseEventKind.Retirement ? $"retirement of {stored.GuidelineId}" : $"release {stored.ReleaseId}";
                var reason = ex is ReleaseVerificationException refused ? refused.Reason : $"{ex.GetType().Name}: {ex.Message}";
                status.OnRefused(stored.GuidelineId, $"Persisted {subject} (signed by key {stored.Event.KeyId}) is not served: {reason}");
                logger.LogError("Persisted {Subject} (signed by key {KeyId}) is not served: {Reason}", subject, stored.Event.KeyId, reason);
            }
        }
        var current = catalog.Current;
        if (!feed.Value.Configured && current.Live.IsEmpty && current.Retired.IsEmpty)
        {
            ActivateUnsigned(BundledSeedRelease.Create());
        }
    }

    /// <summary>
    /// A span for one activation: verification, preparation and the store's write under it. Refusals surface as the
    /// exception's type; their reasons go to the feed status and the log, not the span.
    /// </summary>
    private static System.Diagnostics.Activity? StartActivation(string name, string guidelineId, string? releaseId)
    {
        var activity = RecommendationsActivities.Source.StartActivity(name);
        activity?.SetTag("alk.guideline.id", guidelineId);
        if (releaseId is not null)
        {
            activity?.SetTag("alk.release.id", releaseId);
        }
        return activity;
    }

    private void Restore(StoredActivation stored)
    {
        if (stored.Kind == ReleaseEventKind.Retirement)
        {
            var retirement = verifier.VerifyRetirement(stored.GuidelineId, stored.Event, active: null).Envelope;
            catalog.Retire(new RetiredGuideline(retirement.GuidelineId, retirement.Reason, retirement.EventAt));
            logger.LogInformation("Restored the retirement of {GuidelineId} from disk", stored.GuidelineId);
            return;
        }
        var content = store.Find(stored.ReleaseId)?.CanonicalContent
            ?? throw new ReleaseVerificationException(stored.ReleaseId, "its content is missing from this service's store");
        var verified = verifier.VerifyRelease(stored.GuidelineId, stored.ReleaseId, stored.Event, content, active: null);
        catalog.Activate(LiveRelease.Prepare(verified.Release!));
        logger.LogInformation("Restored {GuidelineId} release {ReleaseId} from disk", stored.GuidelineId, stored.ReleaseId);
    }
}

/// <summary>Loads the releases before the server takes requests, and says what it trusts.</summary>
public sealed class ReleaseRestoreService(ReleaseActivator activator, ReleaseTrust trust, ILogger<ReleaseRestoreService> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var note in trust.Notes)
        {
            logger.LogInformation("{Note}", note);
        }
        foreach (var warning in trust.Warnings)
        {
            logger.LogWarning("{Warning}", warning);
        }
        activator.RestoreOnStartup();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
