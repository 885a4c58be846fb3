using AlkPlatform.Guidelines.Content;

namespace AlkPlatform.Guidelines.Releases;

/// <summary>The seed guideline as revision 1, approved by a clearly labelled bootstrap rather than by board members.</summary>
public static class BundledSeedRelease
{
    public const string ApprovalBasis =
        "bootstrap: bundled seed article, not yet approved by this board (the article itself says its content is pending human review)";

    public static Release Create()
    {
        var content = SeedGuideline.Load();
        var lastUpdated = DateTimeOffset.Parse(content.LastUpdated + "T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        return Release.Cut(content, revisionNumber: 1, approvedAt: lastUpdated, publishedAt: lastUpdated, ApprovalBasis, approvals: []);
    }
}
