namespace AlkPlatform.Guidelines.Content;

public sealed class GuidelineFormatException(string path, string reason)
    : Exception($"{path}: {reason}")
{
    public string Path { get; } = path;
    public string Reason { get; } = reason;
}
