using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AlkPlatform.Contracts.Recommendation.V1;
using AlkPlatform.Guidelines.Releases.Signing;
using AlkPlatform.Guidelines.Workflow;
using AlkPlatform.Portal.Tests.Infrastructure;
using AlkPlatform.Testing;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Microsoft.Data.Sqlite;

namespace AlkPlatform.Portal.Tests;

/// <summary>
/// README's stack command, <c>deploy/run-stack.sh</c>, as a new user runs it: the identity provider, the portal and the
/// service following its feed come up wired on a fresh data directory; Ctrl+C stops all three; a revision the board
/// approved and that is published in the portal's pages is what the service then answers, for a real app token.
/// </summary>
public sealed class RunStackScriptTests : IAsyncDisposable
{
    private const string Guideline = "alk-lbcl";
    private const string Tenant = "5f6c2a1e-8a4b-4f3e-9c7d-0a1b2c3d4e5f";
    private const string ServiceApp = "3c9e1d7a-5b2f-4e8c-a1d0-7f6e5d4c3b2a";
    private const string EhrDemoApp = "8a7b6c5d-4e3f-4a1b-9c8d-7e6f5a4b3c2d";

    private readonly string _data = Directory.CreateTempSubdirectory("alk-stack-").FullName;
    private readonly int[] _ports = HostProcess.FreeLoopbackPorts(4);
    private RunStackProcess? _running;
    private GrpcChannel? _channel;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RunStack_CtrlCStopsAll_AndAPublishInThePortalChangesWhatTheServiceAnswers()
    {
        // A fresh directory: the portal starts with the seed as revision 1, which no board member approved, so the
        // service (quorum 2) receives it from the portal's feed, with an app token, and refuses it by name.
        _running = await RunStackProcess.StartAsync(_data, _ports, Ct);
        var waiting = await Eventually.Until(ListGuidelinesAsync, listed => listed.Feed.LastError.Contains("Refused", StringComparison.Ordinal), Ct);
        Assert.Empty(waiting.Guidelines);
        Assert.Contains("carries 0 distinct approval(s); the quorum is 2", waiting.Feed.LastError, StringComparison.Ordinal);

        // Ctrl+C: every process of the stack stops and its ports are free again.
        Assert.Equal(130, await _running.InterruptAsync());
        Assert.All(_ports, port => Assert.False(IsListening(port), $"port {port} still open after Ctrl+C:{Environment.NewLine}{_running.Output}"));

        // Between runs the board approves a change (on the portal's own file, with its own key); then it is published
        // in the pages of the restarted stack.
        var approved = PrepareApprovedRevision("2026.2");
        _running = await RunStackProcess.StartAsync(_data, _ports, Ct);
        await PublishAsync(approved);

        var answer = await Eventually.Until(async () =>
            await (await RecommendationsAsync()).RecommendAsync(ReferencePatients.RelapsedRefractory70Kg, cancellationToken: Ct),
            answered => answered.Release.VersionLabel == "2026.2", Ct);
        Assert.Equal("2026.2", answer.Release.VersionLabel);
        Assert.Equal("board approval: 2 distinct approvers (quorum 2)", answer.Release.ApprovalBasis);
    }

    private Revision PrepareApprovedRevision(string versionLabel)
    {
        var portalData = Path.Combine(_data, "portal");
        using var key = ReleaseSigningKey.FromPem(File.ReadAllText(Path.Combine(portalData, "release-signing", "signing-key.pem")));
        var workflow = GuidelineWorkflow.Open(Path.Combine(portalData, "content.db"), TimeProvider.System, key);
        var approved = BoardMembers.ApprovedChange(workflow, Guideline, c => c with { VersionLabel = versionLabel });
        SqliteConnection.ClearAllPools();
        return approved;
    }

    private async Task PublishAsync(Revision approved)
    {
        var stack = _running!;
        using var pia = await SignIn.AsAsync(stack.PortalClient(), SignIn.User("pia.publisher"), stack.TrustingHandler, Ct);
        var url = $"/Releases/Publish?id={Guideline}&n={approved.Number}";
        var page = await pia.GetStringAsync(url, Ct);
        using var response = await pia.PostAsync(url, SignIn.Form([
            new("__RequestVerificationToken", SignIn.AntiforgeryToken(page)),
            new("Reason", "Board approved the 2026.2 wording."),
            new("Confirmed", "true")]), Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
    }

    private async Task<ListGuidelinesResponse> ListGuidelinesAsync() =>
        await (await RecommendationsAsync()).ListGuidelinesAsync(new ListGuidelinesRequest(), cancellationToken: Ct);

    /// <summary>A client as the EHR demo app, with an app token from the stack's provider and this run's secret.</summary>
    private async Task<RecommendationService.RecommendationServiceClient> RecommendationsAsync()
    {
        var stack = _running!;
        using var http = new HttpClient(stack.TrustingHandler());
        using var token = await http.PostAsync(new Uri(stack.IdentityOrigin, $"/{Tenant}/oauth2/v2.0/token"), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = EhrDemoApp,
            ["client_secret"] = await File.ReadAllTextAsync(Path.Combine(_data, "secrets", "ehr-demo-app"), Ct),
            ["scope"] = $"api://{ServiceApp}/.default",
        }), Ct);
        token.EnsureSuccessStatusCode();
        var accessToken = (await token.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("access_token").GetString();
        _channel?.Dispose();
        _channel = GrpcChannel.ForAddress(stack.ServiceOrigin);
        var invoker = _channel.Intercept(metadata =>
        {
            metadata.Add("authorization", $"Bearer {accessToken}");
            metadata.Add("x-client-app", "stack-test");
            return metadata;
        });
        return new RecommendationService.RecommendationServiceClient(invoker);
    }

    private static bool IsListening(int port)
    {
        try
        {
            using var client = new System.Net.Sockets.TcpClient();
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _channel?.Dispose();
        if (_running is not null)
        {
            await _running.DisposeAsync();
        }
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless.
        }
    }
}
