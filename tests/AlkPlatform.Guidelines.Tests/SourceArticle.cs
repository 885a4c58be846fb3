namespace AlkPlatform.Guidelines.Tests;

/// <summary>
/// The seed article the guideline was encoded from. It is not part of the repository: by default it is read from the
/// shared seeds folder beside the clone (<c>../shared/seeds/</c> next to AlkPlatform.sln), or from the path in
/// <see cref="PathVariable"/>. Where it is absent the tests that read it are skipped, saying so, unless
/// <see cref="RequireVariable"/> is 1 (CI, which always has it): then they fail.
/// </summary>
internal static class SourceArticle
{
    public const string PathVariable = "ALK_SOURCE_ARTICLE";
    public const string RequireVariable = "ALK_REQUIRE_SOURCE_ARTICLE";
    private const string FileName = "000_ad8f39a52019696f.txt";

    /// <summary>Where the article is looked for; null when no path is configured and no AlkPlatform.sln is above the tests.</summary>
    public static string? Location { get; } = Locate();

    public static string ReadAllText() => File.ReadAllText(RequirePresent());

    public static string[] ReadAllLines() => File.ReadAllLines(RequirePresent());

    private static string RequirePresent()
    {
        if (Location is not null && File.Exists(Location))
        {
            return Location;
        }
        var message = Location is null
            ? $"Source article not found: no {PathVariable} is set and no AlkPlatform.sln is above {AppContext.BaseDirectory}. Set {PathVariable} to the article's path to run the traceability tests."
            : $"Source article not found at {Location}. Put the shared seeds folder beside the repository or set {PathVariable} to the article's path to run the traceability tests.";
        if (Environment.GetEnvironmentVariable(RequireVariable) == "1")
        {
            Assert.Fail($"{message} ({RequireVariable}=1: the article is required here.)");
        }
        Assert.Skip(message);
        return Location!;
    }

    private static string? Locate()
    {
        var configured = Environment.GetEnvironmentVariable(PathVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return Path.GetFullPath(configured);
        }
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "AlkPlatform.sln")))
            {
                return Path.GetFullPath(Path.Combine(directory.FullName, "..", "shared", "seeds", FileName));
            }
        }
        return null;
    }
}
