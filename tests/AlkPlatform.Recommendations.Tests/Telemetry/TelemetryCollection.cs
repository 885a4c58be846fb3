namespace AlkPlatform.Recommendations.Tests.Telemetry;

/// <summary>
/// Telemetry tests run alone: an OpenTelemetry provider listens to every ActivitySource and Meter of its name in the
/// process, so another class's host running alongside would add its spans and measurements to these.
/// </summary>
[CollectionDefinition(nameof(TelemetryCollection), DisableParallelization = true)]
public sealed class TelemetryCollection : ICollectionFixture<TelemetryWorld>;
