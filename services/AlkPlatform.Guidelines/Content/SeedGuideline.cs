namespace AlkPlatform.Guidelines.Content;

/// <summary>The bundled seed guideline (the source article, encoded), so a fresh machine serves real answers.</summary>
public static class SeedGuideline
{
    public const string GuidelineId = "alk-lbcl";
    private const string ResourceName = "AlkPlatform.Guidelines.Seed.alk-lbcl.json";

    public static string ReadJson()
    {
        using var stream = typeof(SeedGuideline).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Embedded resource {ResourceName} is missing from the build.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    public static GuidelineContent Load() => GuidelineJson.Parse(ReadJson());
}
