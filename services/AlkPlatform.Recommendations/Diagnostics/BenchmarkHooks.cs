using System.Diagnostics;
using AlkPlatform.Guidelines.Releases;
using AlkPlatform.Recommendations.Releases;

namespace AlkPlatform.Recommendations.Diagnostics;

/// <summary>
/// Opt-in plain-HTTP endpoints for the load benchmark (perf/load/load.sh): call counts by status, and a hook that
/// republishes the live content as a new, unsigned revision so a release swap can be measured under load (refused when a
/// feed is configured: then only signed events go live). Off unless <c>Diagnostics:BenchmarkHooks</c> is true; a startup
/// filter, so the service's Program.cs lists only what it serves.
/// </summary>
public sealed class BenchmarkHooks(IConfiguration configuration) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next)
    {
        if (!configuration.GetValue<bool>("Diagnostics:BenchmarkHooks"))
        {
            return next;
        }
        return app =>
        {
            app.Map("/diagnostics", hooks =>
            {
                hooks.UseRouting();
                hooks.UseEndpoints(endpoints =>
                {
                    endpoints.MapGet("/calls", (CallStatusCounter counter) => Results.Ok(counter.Snapshot()));
                    endpoints.MapPost("/republish", Republish);
                });
            });
            next(app);
        };
    }

    private static IResult Republish(ReleaseCatalog catalog, ReleaseActivator activator, TimeProvider clock)
    {
        var results = new List<object>();
        foreach (var live in catalog.Current.Live.Values)
        {
            var started = Stopwatch.GetTimestamp();
            var now = clock.GetUtcNow();
            var release = Release.Cut(live.Compiled.Content, live.Release.RevisionNumber + 1, now, now,
                "benchmark: live content republished as a new revision by perf/load/load.sh", []);
            LiveRelease activated;
            try
            {
                activated = activator.ActivateUnsigned(release);
            }
            catch (InvalidOperationException ex)
            {
                return Results.Conflict(ex.Message);
            }
            results.Add(new
            {
                activated.Release.ReleaseId,
                activated.Release.RevisionNumber,
                LiveAfterMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds,
            });
        }
        return Results.Ok(results);
    }
}
