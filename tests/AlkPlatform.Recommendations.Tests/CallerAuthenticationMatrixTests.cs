using System.Security.Cryptography;
using AlkPlatform.Contracts.Ops.V1;
using AlkPlatform.Contracts.Recommendation.V1;
using AlkPlatform.Testing;
using Grpc.Core;
using Microsoft.Data.Sqlite;

namespace AlkPlatform.Recommendations.Tests;

/// <summary>
/// Every RPC against every kind of credential a caller could present, with real tokens from the real local identity
/// provider (or, for what it would never issue, tokens signed with its own key or a foreign one): only the right app role
/// gets an answer; everything else is Unauthenticated or PermissionDenied, carries no data, and is on record with what was
/// presented — masked, never the token. One service for the class: each case is one call whose outcome depends only on
/// its credential.
/// </summary>
public sealed class CallerAuthenticationMatrixTests(CallerAuthenticationMatrixTests.World world) : IClassFixture<CallerAuthenticationMatrixTests.World>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public sealed class World : IAsyncLifetime
    {
        public RecommendationServiceHost Service { get; } = new();
        public string EvaluationId { get; private set; } = "";
        public string CardId { get; private set; } = "";

        public async ValueTask InitializeAsync()
        {
            var answer = await Service.Recommendations().RecommendAsync(ReferencePatients.RelapsedRefractory70Kg);
            (EvaluationId, CardId) = (answer.EvaluationId, answer.Cards[0].Id);
        }

        public ValueTask DisposeAsync() => Service.DisposeAsync();
    }

    /// <summary>Each RPC with a valid request, and the app role it needs.</summary>
    private static readonly Dictionary<string, (string Role, Func<World, CallInvoker, Task> Call)> Rpcs = new(StringComparer.Ordinal)
    {
        ["Recommend"] = ("Recommendations.Read", (_, c) => new RecommendationService.RecommendationServiceClient(c)
            .RecommendAsync(ReferencePatients.RelapsedRefractory70Kg, cancellationToken: Ct).ResponseAsync),
        ["GetGuideline"] = ("Recommendations.Read", (_, c) => new RecommendationService.RecommendationServiceClient(c)
            .GetGuidelineAsync(new GetGuidelineRequest(), cancellationToken: Ct).ResponseAsync),
        ["Ask"] = ("Recommendations.Read", (_, c) => new RecommendationService.RecommendationServiceClient(c)
            .AskAsync(new AskRequest { Question = "alectinib dose" }, cancellationToken: Ct).ResponseAsync),
        ["ListGuidelines"] = ("Recommendations.Read", (_, c) => new RecommendationService.RecommendationServiceClient(c)
            .ListGuidelinesAsync(new ListGuidelinesRequest(), cancellationToken: Ct).ResponseAsync),
        ["SubmitFeedback"] = ("Feedback.Write", (w, c) => new FeedbackService.FeedbackServiceClient(c)
            .SubmitFeedbackAsync(new SubmitFeedbackRequest { EvaluationId = w.EvaluationId, CardId = w.CardId, Outcome = FeedbackOutcome.Accepted }, cancellationToken: Ct).ResponseAsync),
        ["QueryEvaluationLogs"] = ("EvaluationLogs.Read", (_, c) => new EvaluationLogService.EvaluationLogServiceClient(c)
            .QueryEvaluationLogsAsync(new QueryEvaluationLogsRequest(), cancellationToken: Ct).ResponseAsync),
        ["GetEvaluationLog"] = ("EvaluationLogs.Read", (w, c) => new EvaluationLogService.EvaluationLogServiceClient(c)
            .GetEvaluationLogAsync(new GetEvaluationLogRequest { EvaluationId = w.EvaluationId }, cancellationToken: Ct).ResponseAsync),
        ["GetEvaluationLogAggregates"] = ("EvaluationLogs.Read", (_, c) => new EvaluationLogService.EvaluationLogServiceClient(c)
            .GetEvaluationLogAggregatesAsync(new GetEvaluationLogAggregatesRequest(), cancellationToken: Ct).ResponseAsync),
        ["ExportEvaluationLogs"] = ("EvaluationLogs.Read", async (_, c) =>
        {
            using var export = new EvaluationLogService.EvaluationLogServiceClient(c).ExportEvaluationLogs(new ExportEvaluationLogsRequest(), cancellationToken: Ct);
            await foreach (var chunk in export.ResponseStream.ReadAllAsync(Ct))
            {
                Assert.NotNull(chunk);
            }
        }),
        ["ReplayEvaluation"] = ("EvaluationLogs.Read", (w, c) => new EvaluationLogService.EvaluationLogServiceClient(c)
            .ReplayEvaluationAsync(new ReplayEvaluationRequest { EvaluationId = w.EvaluationId }, cancellationToken: Ct).ResponseAsync),
        ["GetFeedbackSummary"] = ("EvaluationLogs.Read", (_, c) => new EvaluationLogService.EvaluationLogServiceClient(c)
            .GetFeedbackSummaryAsync(new GetFeedbackSummaryRequest(), cancellationToken: Ct).ResponseAsync),
        ["ListReleaseActivations"] = ("EvaluationLogs.Read", (_, c) => new ReleaseActivationService.ReleaseActivationServiceClient(c)
            .ListReleaseActivationsAsync(new ListReleaseActivationsRequest(), cancellationToken: Ct).ResponseAsync),
    };

    /// <summary>What is presented, and what must come of it; "right role" and "missing role" depend on the RPC.</summary>
    private static readonly Dictionary<string, (StatusCode Expected, Func<LocalIdentityHost, string, string?> Token)> Credentials = new(StringComparer.Ordinal)
    {
        ["no token"] = (StatusCode.Unauthenticated, (_, _) => null),
        ["expired"] = (StatusCode.Unauthenticated, (idp, _) => idp.MintToken(notBefore: DateTimeOffset.UtcNow.AddHours(-2), expires: DateTimeOffset.UtcNow.AddHours(-1))),
        ["not yet valid"] = (StatusCode.Unauthenticated, (idp, _) => idp.MintToken(notBefore: DateTimeOffset.UtcNow.AddHours(1), expires: DateTimeOffset.UtcNow.AddHours(2))),
        // A real token of the right app, issued for the portal's API instead of this service.
        ["wrong audience"] = (StatusCode.Unauthenticated, (idp, _) => idp.TokenFor(LocalIdentityHost.EhrDemoApp, LocalIdentityHost.Portal)),
        ["wrong issuer"] = (StatusCode.Unauthenticated, (idp, _) => idp.MintToken(c => c["iss"] = $"https://login.example.net/{LocalIdentityHost.TenantId}/v2.0")),
        ["wrong tenant"] = (StatusCode.Unauthenticated, (idp, _) =>
        {
            const string otherTenant = "0a0b0c0d-1111-4222-8333-944455556666";
            return idp.MintToken(c => (c["iss"], c["tid"]) = ($"{idp.Origin.GetLeftPart(UriPartial.Authority)}/{otherTenant}/v2.0", otherTenant));
        }),
        // This tenant's issuer, but the token says it was issued in another tenant (or names none).
        ["another tenant's tid"] = (StatusCode.Unauthenticated, (idp, _) => idp.MintToken(c => c["tid"] = "0a0b0c0d-1111-4222-8333-944455556666")),
        ["no tid"] = (StatusCode.Unauthenticated, (idp, _) => idp.MintToken(c => c.Remove("tid"))),
        ["foreign signing key"] = (StatusCode.Unauthenticated, (idp, _) =>
        {
            using var foreign = RSA.Create(2048);
            return idp.MintToken(foreignKey: foreign);
        }),
        ["missing role"] = (StatusCode.PermissionDenied, (idp, role) => idp.TokenFor(role == "EvaluationLogs.Read" ? LocalIdentityHost.EhrDemoApp : LocalIdentityHost.NoRoleApp, LocalIdentityHost.Service)),
        ["right role"] = (StatusCode.OK, (idp, role) => idp.TokenFor(role == "EvaluationLogs.Read" ? LocalIdentityHost.Portal : LocalIdentityHost.EhrDemoApp, LocalIdentityHost.Service)),
    };

    /// <summary>What the refusal says, so a caller (and ops, in the log) can tell the cases apart.</summary>
    private static readonly Dictionary<string, string> Reasons = new(StringComparer.Ordinal)
    {
        ["no token"] = "none was presented",
        ["expired"] = "the token has expired",
        ["not yet valid"] = "the token is not valid yet",
        ["wrong audience"] = "issued for another audience",
        ["wrong issuer"] = "issuer or tenant is not the one this service trusts",
        ["wrong tenant"] = "issuer or tenant is not the one this service trusts",
        ["another tenant's tid"] = "issuer or tenant is not the one this service trusts",
        ["no tid"] = "issuer or tenant is not the one this service trusts",
        ["foreign signing key"] = "not signed by a key its issuer publishes",
        ["missing role"] = "holds none of the app roles this call needs",
    };

    public static TheoryData<string, string> Cases()
    {
        var cases = new TheoryData<string, string>();
        foreach (var rpc in Rpcs.Keys)
        {
            foreach (var credential in Credentials.Keys)
            {
                cases.Add(rpc, credential);
            }
        }
        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Rpc_WithEachCredential_AnswersOnlyTheRightRole_AndRecordsEveryRefusalMasked(string rpc, string credential)
    {
        var (role, call) = Rpcs[rpc];
        var (expected, tokenFor) = Credentials[credential];
        var token = tokenFor(world.Service.Identity!, role);
        var invoker = world.Service.Channel.WithBearer(token is null ? null : () => token, "matrix-test");

        if (expected == StatusCode.OK)
        {
            await call(world, invoker);
            return;
        }
        var refused = await Assert.ThrowsAsync<RpcException>(() => call(world, invoker));

        Assert.Equal(expected, refused.StatusCode);
        var evaluationId = refused.Trailers.GetValue("x-evaluation-id");
        Assert.False(string.IsNullOrEmpty(evaluationId), "a refusal names its log record");
        var record = await RecordAsync(evaluationId!);
        Assert.Equal(((int)expected, rpc), (record.Status, record.Rpc[(record.Rpc.LastIndexOf('/') + 1)..]));
        Assert.Equal("matrix-test", record.ClaimedCaller);
        Assert.Contains(Reasons[credential], refused.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(refused.Status.Detail, record.Message);
        if (token is null)
        {
            Assert.Equal("none", record.Credential);
        }
        else
        {
            Assert.DoesNotContain(token, record.Credential, StringComparison.Ordinal);
            Assert.DoesNotContain(token.Split('.')[2], record.Credential, StringComparison.Ordinal);
            Assert.Contains(" iss=", record.Credential, StringComparison.Ordinal);
            Assert.Contains(" exp=", record.Credential, StringComparison.Ordinal);
            Assert.Matches("; sha256 [0-9a-f]{12}$", record.Credential);
        }
        // Only a token that proved its app names a caller; a refused token is not believed.
        Assert.Equal(expected == StatusCode.PermissionDenied, record.Caller.Length > 0);
    }

    [Fact]
    public async Task Refusal_OfAnExpiredToken_SaysWhy_AndNamesWhatWasPresented()
    {
        var expired = world.Service.Identity!.MintToken(notBefore: DateTimeOffset.UtcNow.AddHours(-2), expires: DateTimeOffset.UtcNow.AddHours(-1));

        var refused = await Assert.ThrowsAsync<RpcException>(() => Rpcs["Recommend"].Call(world, world.Service.Channel.WithBearer(() => expired)));

        Assert.True(refused.Status.Detail.Contains("the token has expired", StringComparison.Ordinal), refused.Status.Detail);
        var record = await RecordAsync(refused.Trailers.GetValue("x-evaluation-id")!);
        Assert.StartsWith($"bearer azp={LocalIdentityHost.EhrDemoAppId} aud={LocalIdentityHost.ServiceClientId} iss={world.Service.Identity.Issuer} tid=", record.Credential, StringComparison.Ordinal);
        Assert.Contains("the token has expired", record.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refusal_OfAnAppWithoutTheRole_NamesTheAppAndTheRoleItLacks()
    {
        var noRole = world.Service.Identity!.TokenFor(LocalIdentityHost.NoRoleApp, LocalIdentityHost.Service);

        var refused = await Assert.ThrowsAsync<RpcException>(() => Rpcs["Recommend"].Call(world, world.Service.Channel.WithBearer(() => noRole)));

        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
        Assert.Equal($"The app {LocalIdentityHost.NoRoleAppId} holds none of the app roles this call needs (Recommendations.Read).", refused.Status.Detail);
        var record = await RecordAsync(refused.Trailers.GetValue("x-evaluation-id")!);
        Assert.Equal((LocalIdentityHost.NoRoleAppId, "Demo app without a role"), (record.Caller, record.CallerName));
    }

    private sealed record Record(int Status, string Rpc, string Caller, string CallerName, string ClaimedCaller, string Credential, string Message);

    private async Task<Record> RecordAsync(string evaluationId)
    {
        await using var connection = new SqliteConnection($"Data Source={world.Service.DatabasePath}");
        await connection.OpenAsync(Ct);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT status_code, rpc, caller, caller_name, claimed_caller, credential, status_message FROM evaluation_logs WHERE evaluation_id = $id";
        command.Parameters.AddWithValue("$id", evaluationId);
        using var reader = await command.ExecuteReaderAsync(Ct);
        Assert.True(await reader.ReadAsync(Ct), $"no log record {evaluationId}");
        return new Record(reader.GetInt32(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5), reader.GetString(6));
    }
}
