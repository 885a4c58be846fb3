using AlkPlatform.Guidelines.Releases.Signing;

namespace AlkPlatform.Portal.Ops;

/// <summary>What one recommendation service says it activated: its signed events, oldest first, or why it could not say.</summary>
public sealed record HeldActivations(Uri Address, string? ServiceId, IReadOnlyList<SignedReleaseEvent> Events, string? Error);
