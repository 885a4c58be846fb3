using System.Text.Json;

namespace AlkPlatform.Guidelines.Workflow;

/// <summary>A patient situation run under two releases to see whether a change touches them.</summary>
public sealed record ImpactPatient(string Id, string Description, IReadOnlyDictionary<string, JsonElement> Facts);
