using System.Diagnostics;
using AlkPlatform.Guidelines.Releases;
using AlkPlatform.Recommendations.Releases;

namespace AlkPlatform.Recommendations.Diagnostics;

public static class DiagnosticsExtensions
{
    /// <summary>Counts every call's gRPC status, because load tools only see HTTP 200.</summary>
    public static WebApplicationBuilder AddCallStatusCounting(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<CallStatusCounter>();
        builder.Services.AddGrpc(options => options.Interceptors.Add<CallStatusCounter>());
        return builder;
    }

    /// <summary>
    /// Opt-in plain-HTTP endpoints for the load benchmark (deploy/bench/load.sh): call counts by status, and a hook that
    /// republishes the live content as a new revision so a release swap can be measured under load. Off by default.
    /// </summary>
    public static WebApplication MapBenchmarkHooks(this WebApplication app)
    {
        if (!app.Configuration.GetValue<bool>("Diagnostics:BenchmarkHooks"))
        {
            return app;
        }
        app.MapGet("/diagnostics/calls", (CallStatusCounter counter) => Results.Ok(counter.Snapshot()));
        app.MapPost("/diagnostics/republish", (ReleaseCatalog catalog, ReleaseActivator activator, TimeProvider clock) =>
        {
            var results = new List<object>();
            foreach (var live in catalog.Current.Live.Values)
            {
                var started = Stopwatch.GetTimestamp();
                var now = clock.GetUtcNow();
                var release = Release.Cut(live.Compiled.Content, live.Release.RevisionNumber + 1, now, now,
                    "benchmark: live content republished as a new revision by deploy/bench/load.sh", []);
                var activated = activator.Activate(release);
                results.Add(new
                {
                    activated.Release.ReleaseId,
                    activated.Release.RevisionNumber,
                    LiveAfterMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds,
                });
            }
            return Results.Ok(results);
        });
        return app;
    }
}
