using AlkPlatform.Guidelines.Releases.Signing;
using AlkPlatform.Recommendations.ReleaseFeed;
using AlkPlatform.Testing;

namespace AlkPlatform.Recommendations.Tests;

/// <summary>
/// Which keys the service trusts comes from configuration, read once at start-up; in Production it refuses to start rather
/// than run with a quorum below two or a feed no key can vouch for, saying which settings to fix.
/// </summary>
public sealed class ReleaseTrustStartupTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("alk-trust-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Production_QuorumBelowTwo_RefusesToStart_NamingTheSetting()
    {
        using var board = ReleaseSigningKey.Generate();

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => StartProcess(new Dictionary<string, string>
        {
            ["ReleaseFeed:Address"] = "http://127.0.0.1:9",
            ["ReleaseFeed:Scope"] = TestReleaseFeed.PortalFeedScope,
            ["ReleaseTrust:TrustedKeys:0"] = board.ExportPublicKeyPem(),
            ["ReleaseTrust:ApprovalQuorum"] = "1",
        }));

        Assert.Contains("The recommendation service refuses to start: ReleaseTrust:ApprovalQuorum is 1, and in Production a release must carry the approvals of at least 2 distinct board members", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Production_FeedWithNoTrustedKey_RefusesToStart_NamingTheSettings()
    {
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => StartProcess(new Dictionary<string, string> { ["ReleaseFeed:Address"] = "http://127.0.0.1:9" }));

        Assert.Contains("The recommendation service refuses to start: ReleaseFeed:Address is set (http://127.0.0.1:9) but no release-signing key is trusted", failure.Message, StringComparison.Ordinal);
        Assert.Contains("ReleaseTrust:TrustedKeys:0 (PEM text), ReleaseTrust:TrustedKeyFiles:0 (a PEM file) or ReleaseTrust:TrustedKeysDirectory (a folder of *.pem files)", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Production_FeedWithATrustedKeyFile_Starts()
    {
        using var board = ReleaseSigningKey.Generate();
        var keyFile = Path.Combine(_directory, "board.pem");
        await File.WriteAllTextAsync(keyFile, board.ExportPublicKeyPem(), Ct);

        await using var service = await RecommendationServiceProcess.StartAsync(Path.Combine(_directory, "data"), new Dictionary<string, string>
        {
            ["ReleaseFeed:Address"] = "http://127.0.0.1:9",
            ["ReleaseFeed:Scope"] = TestReleaseFeed.PortalFeedScope,
            ["ReleaseTrust:TrustedKeyFiles:0"] = keyFile,
        }, Ct);

        var listed = await service.Client.ListGuidelinesAsync(new(), cancellationToken: Ct);
        Assert.True(listed.Feed.Configured);
        Assert.Empty(listed.Guidelines);
    }

    [Fact]
    public void TrustedKeysDirectory_EveryPemInIt_IsTrusted_AlongsideTheOtherSources()
    {
        using var first = ReleaseSigningKey.Generate();
        using var second = ReleaseSigningKey.Generate();
        using var inline = ReleaseSigningKey.Generate();
        var keys = Directory.CreateDirectory(Path.Combine(_directory, "public")).FullName;
        File.WriteAllText(Path.Combine(keys, $"{first.KeyId}.pem"), first.ExportPublicKeyPem());
        File.WriteAllText(Path.Combine(keys, $"{second.KeyId}.pem"), second.ExportPublicKeyPem());
        File.WriteAllText(Path.Combine(keys, "README.txt"), "not a key");

        using var service = new RecommendationServiceHost(new Dictionary<string, string>
        {
            ["ReleaseFeed:Address"] = "http://127.0.0.1:9",
            ["ReleaseFeed:Scope"] = TestReleaseFeed.PortalFeedScope,
            ["ReleaseTrust:TrustedKeysDirectory"] = keys,
            ["ReleaseTrust:TrustedKeys:0"] = inline.ExportPublicKeyPem(),
        });

        Assert.Equal(new[] { first.KeyId, second.KeyId, inline.KeyId }.Order(), service.Get<ReleaseTrust>().KeyIds.Order());
    }

    [Fact]
    public void ApprovalQuorumBelowOne_RefusesToStartInAnyEnvironment()
    {
        var failure = Assert.Throws<InvalidOperationException>(() => Start(new Dictionary<string, string> { ["ReleaseTrust:ApprovalQuorum"] = "0" }));

        Assert.Contains("ReleaseTrust:ApprovalQuorum is 0; a release needs at least one approval", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FeedAddressNotHttp_RefusesToStart()
    {
        var failure = Assert.Throws<InvalidOperationException>(() => Start(new Dictionary<string, string> { ["ReleaseFeed:Address"] = "portal:7101" }));

        Assert.Contains("ReleaseFeed:Address 'portal:7101' is not an http:// or https:// address", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TrustedKey_HoldingAPrivateKey_RefusesToStart()
    {
        using var board = ReleaseSigningKey.Generate();

        var failure = Assert.Throws<InvalidOperationException>(() => Start(new Dictionary<string, string> { ["ReleaseTrust:TrustedKeys:0"] = board.ExportPrivateKeyPem() }));

        Assert.Contains("ReleaseTrust:TrustedKeys:0 holds a private key", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TrustedKeyFile_Missing_RefusesToStart_NamingThePath()
    {
        var path = Path.Combine(_directory, "absent.pem");

        var failure = Assert.Throws<InvalidOperationException>(() => Start(new Dictionary<string, string> { ["ReleaseTrust:TrustedKeyFiles:0"] = path }));

        Assert.Contains($"ReleaseTrust:TrustedKeyFiles:0 names {path}, which does not exist", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TrustedKey_NotAKey_RefusesToStart()
    {
        var failure = Assert.Throws<InvalidOperationException>(() => Start(new Dictionary<string, string> { ["ReleaseTrust:TrustedKeys:0"] = "trust me" }));

        Assert.Contains("ReleaseTrust:TrustedKeys:0 is not an ECDSA P-256 public key in PEM form", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OutsideProduction_FeedWithNoTrustedKey_Starts_ButRefusesEveryEvent()
    {
        await using var feed = await TestReleaseFeed.StartAsync();
        using var service = new RecommendationServiceHost(new Dictionary<string, string>
        {
            ["ReleaseFeed:Address"] = feed.Address,
            ["ReleaseFeed:Scope"] = TestReleaseFeed.PortalFeedScope,
        });
        var release = TestReleaseFeed.ApprovedRevision(2);

        await feed.PublishAsync(release, sequence: 1);

        var deadline = DateTime.UtcNow.AddSeconds(20);
        Contracts.Recommendation.V1.ListGuidelinesResponse listed;
        do
        {
            listed = await service.Recommendations().ListGuidelinesAsync(new(), cancellationToken: Ct);
        }
        while (!listed.Feed.LastError.Contains("Refused", StringComparison.Ordinal) && DateTime.UtcNow < deadline);
        Assert.Contains($"Refused release {release.ReleaseId}: it is signed by key {feed.Board.KeyId}, which this service does not trust (trusted: none)", listed.Feed.LastError, StringComparison.Ordinal);
        Assert.Empty(listed.Guidelines);
    }

    /// <summary>Starts the service as its own process in Production; these settings must stop it, and if they do not it is stopped here.</summary>
    private async Task StartProcess(Dictionary<string, string> settings)
    {
        await using var service = await RecommendationServiceProcess.StartAsync(Path.Combine(_directory, "data"), settings, Ct);
    }

    /// <summary>Starts the service in-process (environment Testing) and returns nothing: these settings must stop it first.</summary>
    private static void Start(Dictionary<string, string> settings)
    {
        using var service = new RecommendationServiceHost(settings);
        _ = service.Server;
    }
}
