using System.Diagnostics;
using AlkPlatform.Testing;
using AlkPlatform.Testing.Telemetry;

namespace AlkPlatform.Recommendations.Tests.Telemetry;

/// <summary>
/// One service for the telemetry collection, with the SDK on and the in-memory exporters after its own processors. Each
/// test finds its own calls' spans by the trace it made them in (<see cref="StartCallerTrace"/>). The service has answered
/// once before any test runs, as a replica in production has after its first call: that first call fetches the identity
/// provider's metadata, and in this process the provider's own server span would join whichever test's trace came first.
/// </summary>
public sealed class TelemetryWorld : IDisposable
{
    public TelemetryWorld()
    {
        Service = new RecommendationServiceHost(TelemetryCapture.Settings, services: Capture.AddTo);
        _ = Service.Server;
        Service.Recommendations().Recommend(ReferencePatients.RelapsedRefractory70Kg);
    }

    public TelemetryCapture Capture { get; } = new();

    public RecommendationServiceHost Service { get; }

    /// <summary>
    /// Starts a trace of the test's own, as a caller's app would have: its calls' client and server spans join it, which is
    /// how a test finds the spans of its own calls. Dispose it after the call.
    /// </summary>
    public static Activity StartCallerTrace()
    {
        var caller = new Activity("test caller").SetIdFormat(ActivityIdFormat.W3C).Start();
        // Sampled, as a traced caller's are: the service's parent-based sampler records what its caller recorded.
        caller.ActivityTraceFlags = ActivityTraceFlags.Recorded;
        return caller;
    }

    /// <summary>The server span of the call made in <paramref name="traceId"/>, once it has ended and been exported.</summary>
    public Task<Activity> ServerSpanOf(ActivityTraceId traceId) =>
        Capture.Spans.WaitFor(s => s.TraceId == traceId && s.Kind == ActivityKind.Server, $"server span in trace {traceId}",
            TestContext.Current.CancellationToken);

    public void Dispose() => Service.Dispose();
}
