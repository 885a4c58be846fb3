namespace AlkPlatform.Guidelines.Releases;

public sealed class ReleaseVerificationException(string releaseId, string reason)
    : Exception($"Release {releaseId} failed verification: {reason}")
{
    public string ReleaseId { get; } = releaseId;
}
