namespace AlkPlatform.Recommendations.Tests.Telemetry;

/// <summary>
/// Runs alone like <see cref="TelemetryCollection"/>, and apart from it: two hosts' providers would each count the other's
/// instruments of the same name, and the first host to stop would end the other's streams of them.
/// </summary>
[CollectionDefinition(nameof(ReleaseFeedTelemetryCollection), DisableParallelization = true)]
public sealed class ReleaseFeedTelemetryCollection;
