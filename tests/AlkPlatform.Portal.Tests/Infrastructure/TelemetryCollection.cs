namespace AlkPlatform.Portal.Tests.Infrastructure;

/// <summary>
/// Portal telemetry tests run alone: an OpenTelemetry provider listens to every ActivitySource and Meter of its name in the
/// process, so other tests' portals and providers running alongside would add their spans and counts.
/// </summary>
[CollectionDefinition(nameof(TelemetryCollection), DisableParallelization = true)]
public sealed class TelemetryCollection;
