using AlkPlatform.Guidelines.Content;
using AlkPlatform.Guidelines.Releases;

namespace AlkPlatform.Guidelines.Tests;

public class CanonicalHashTests
{
    [Fact]
    public void Hash_IsStable_AcrossParseAndReserialise()
    {
        var seed = SeedGuideline.Load();
        var reparsed = GuidelineJson.Parse(GuidelineJson.ToIndentedJson(seed));

        Assert.Equal(GuidelineJson.ComputeHash(seed), GuidelineJson.ComputeHash(reparsed));
        Assert.Matches("^[0-9a-f]{64}$", GuidelineJson.ComputeHash(seed));
    }

    [Fact]
    public void BundledSeed_CanonicalHash_IsTheReleaseExistingDatabasesServe()
    {
        // Databases and clients hold this release id; a renamed JSON key in the content model, or an edit of the seed,
        // changes it (the seed with its lexicon and question set; before them it was 9202267641613300…).
        var release = BundledSeedRelease.Create();

        Assert.Equal("96fdc974687e2233b30865e8981b08a77129bef0e509dd3b636e2c8e0b9b1f62", release.ContentHash);
        Assert.Equal("alk-lbcl@r1-96fdc974687e", release.ReleaseId);
    }

    [Fact]
    public void Hash_Changes_WhenOneWordOfAStatementChanges()
    {
        var seed = SeedGuideline.Load();
        var section = seed.Sections[0];
        var edited = seed with
        {
            Sections = [section with { Statements = [section.Statements[0] with { Text = section.Statements[0].Text.Replace("rare", "uncommon", StringComparison.Ordinal) }] }, .. seed.Sections.Skip(1)],
        };

        Assert.NotEqual(GuidelineJson.ComputeHash(seed), GuidelineJson.ComputeHash(edited));
    }

    [Fact]
    public void CanonicalForm_SortsKeys_SoPropertyOrderInTheSourceDoesNotMatter()
    {
        var original = System.Text.Json.Nodes.JsonNode.Parse(SeedGuideline.ReadJson())!.AsObject();
        var reversed = new System.Text.Json.Nodes.JsonObject();
        foreach (var (key, value) in original.Reverse().ToList())
        {
            reversed[key] = value?.DeepClone();
        }
        var reordered = reversed.ToJsonString();
        Assert.NotEqual(original.ToJsonString(), reordered);

        Assert.Equal(GuidelineJson.ComputeHash(SeedGuideline.Load()), GuidelineJson.ComputeHash(GuidelineJson.Parse(reordered)));
    }

    [Fact]
    public void Release_Verify_AcceptsTheBundledSeed()
    {
        var release = BundledSeedRelease.Create();

        Assert.Equal("alk-lbcl", release.Verify().GuidelineId);
        Assert.StartsWith("alk-lbcl@r1-", release.ReleaseId, StringComparison.Ordinal);
    }

    [Fact]
    public void Release_Verify_RejectsAFlippedByte()
    {
        var release = BundledSeedRelease.Create();
        var bytes = release.CanonicalContent.ToArray();
        var at = Array.IndexOf(bytes, (byte)'3', 5000);
        bytes[at] = (byte)'4';

        var error = Assert.Throws<ReleaseVerificationException>(() => (release with { CanonicalContent = bytes }).Verify());
        Assert.Contains("hashes to", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Release_Verify_RejectsAnApprovalOfOtherContent()
    {
        var release = BundledSeedRelease.Create();
        var stale = new RevisionApproval("oid-1", "Dr A", DateTimeOffset.UnixEpoch, "I approve this content for clinical use", new string('0', 64));

        Assert.Throws<ReleaseVerificationException>(() => (release with { Approvals = [stale] }).Verify());
    }
}
