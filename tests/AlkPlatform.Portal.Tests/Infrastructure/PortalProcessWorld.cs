using System.Diagnostics;
using System.Net;
using AlkPlatform.Guidelines.Workflow;
using AlkPlatform.Testing;
using Microsoft.Data.Sqlite;

namespace AlkPlatform.Portal.Tests.Infrastructure;

/// <summary>
/// The world of a test that runs the real portal as a process beside recommendation-service processes: its own identity
/// provider and temporary directory (the portal's data and each service's data in folders of it), and the board's steps
/// done as a user would — approvals written while the portal is down, publishing and rolling back posted in its pages.
/// </summary>
public sealed class PortalProcessWorld : IAsyncDisposable
{
    public const string Guideline = "alk-lbcl";

    public PortalProcessWorld(string name) => Directory = System.IO.Directory.CreateTempSubdirectory($"alk-{name}-").FullName;

    public LocalIdentityHost Identity { get; } = new();

    public string Directory { get; }

    public string PortalData => Path.Combine(Directory, "portal");

    /// <summary>A folder of the world's directory, e.g. one service's data directory.</summary>
    public string Folder(string name) => Path.Combine(Directory, name);

    /// <summary>Starts the portal on <see cref="PortalData"/>, signing in with <see cref="Identity"/>; on <paramref name="feed"/>'s port after a restart.</summary>
    public Task<PortalProcess> StartPortalAsync(IReadOnlyDictionary<string, string> signing, Uri? feed = null)
    {
        var settings = new Dictionary<string, string>(signing)
        {
            ["AzureAd:Instance"] = Identity.Origin.ToString(),
            ["AzureAd:TenantId"] = LocalIdentityHost.TenantId,
            ["AzureAd:ClientId"] = LocalIdentityHost.PortalClientId,
            ["AzureAd:ClientSecret"] = Identity.ClientSecret,
        };
        return PortalProcess.StartAsync(PortalData, settings, feed, TestContext.Current.CancellationToken, Identity);
    }

    /// <summary>A change of the live revision, reviewed and approved by two approvers, written with the domain library while the portal is down.</summary>
    public Revision PrepareApprovedRevision(string versionLabel, ReleaseSigningKeyFiles key)
    {
        ArgumentNullException.ThrowIfNull(key);
        System.IO.Directory.CreateDirectory(PortalData);
        using var signingKey = key.LoadKey();
        var workflow = GuidelineWorkflow.Open(Path.Combine(PortalData, "content.db"), TimeProvider.System, signingKey);
        var approved = BoardMembers.ApprovedChange(workflow, Guideline, c => c with { VersionLabel = versionLabel });
        SqliteConnection.ClearAllPools();
        return approved;
    }

    /// <summary>Signs <paramref name="who"/> in, posts the page's form and asserts it redirected (done).</summary>
    public async Task<PostedForm> PostAsync(PortalProcess portal, string who, string url, IEnumerable<KeyValuePair<string, string>> fields)
    {
        ArgumentNullException.ThrowIfNull(portal);
        var ct = TestContext.Current.CancellationToken;
        using var client = await SignIn.AsAsync(portal.CreateClient(), SignIn.User(who), Identity, ct);
        var page = await client.GetStringAsync(url, ct);
        var sincePosted = Stopwatch.StartNew();
        using var response = await client.PostAsync(url,
            SignIn.Form(fields.Prepend(new("__RequestVerificationToken", SignIn.AntiforgeryToken(page)))), ct);
        var sinceAnswered = Stopwatch.StartNew();
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
        return new PostedForm(sincePosted, sinceAnswered);
    }

    public async ValueTask DisposeAsync()
    {
        await Identity.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless.
        }
    }
}
