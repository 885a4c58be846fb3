namespace AlkPlatform.Guidelines.Releases;

public sealed class ReleaseVerificationException(string releaseId, string reason)
    : Exception($"Release {releaseId} failed verification: {reason}")
{
    public string ReleaseId { get; } = releaseId;

    /// <summary>Why, without the release's name: for messages that name it their own way.</summary>
    public string Reason { get; } = reason;
}
