using AlkPlatform.Portal.Tests.Infrastructure;

namespace AlkPlatform.Portal.Tests;

/// <summary>The article preview (/Revisions/Preview) as the board sees it before publishing.</summary>
public sealed class PreviewPageTests : IAsyncLifetime
{
    private readonly PortalWorld _world = new();

    public ValueTask InitializeAsync() => _world.InitializeAsync();

    public ValueTask DisposeAsync() => _world.DisposeAsync();

    [Fact]
    public async Task ArticlePreview_PatientAudience_ShowsAudienceSwitchReferencesAndDisclaimer()
    {
        var ct = TestContext.Current.CancellationToken;
        var client = await _world.ClientFor(SignIn.User("otto.ops"));
        var html = await client.GetStringAsync("/Revisions/Preview?id=alk-lbcl&n=1&audience=patient", ct);
        Assert.Contains("Which best describes you?", html, StringComparison.Ordinal);
        Assert.Contains("status-live", html, StringComparison.Ordinal);
        Assert.Contains("id=\"ref-5\"", html, StringComparison.Ordinal);
        Assert.Contains("healthcare professionals", html, StringComparison.Ordinal);
        Assert.Contains("value=\"patient\" checked", html, StringComparison.Ordinal);
    }
}
