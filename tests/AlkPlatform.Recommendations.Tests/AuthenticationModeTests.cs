using AlkPlatform.Contracts.Ops.V1;
using AlkPlatform.Contracts.Recommendation.V1;
using AlkPlatform.Testing;
using Grpc.Core;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AlkPlatform.Recommendations.Tests;

/// <summary>
/// Production never answers without authentication configured; Development with nothing configured answers without
/// tokens, on loopback only, and says so in ListGuidelines, health and every log row.
/// </summary>
public sealed class AuthenticationModeTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Production_WithoutAuthenticationConfigured_RefusesToStart_NamingTheSettings()
    {
        var data = Directory.CreateTempSubdirectory("alk-service-").FullName;
        try
        {
            var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => RecommendationServiceProcess.StartAsync(data, new Dictionary<string, string>
            {
                ["AzureAd:TenantId"] = "",
                ["AzureAd:ClientId"] = "",
                ["AzureAd:Audience"] = "",
            }, Ct));

            Assert.Contains("refuses to start in Production without authentication: set AzureAd:Instance", failure.Message, StringComparison.Ordinal);
            Assert.Contains("AzureAd:TenantId", failure.Message, StringComparison.Ordinal);
            Assert.Contains("AzureAd:ClientId", failure.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public async Task Development_WithNothingConfigured_AnswersWithoutTokens_AndSaysSoInListGuidelinesHealthAndTheLog()
    {
        await using var service = new RecommendationServiceHost(anonymousDevelopment: true);
        var client = new RecommendationService.RecommendationServiceClient(service.Channel);

        var listed = await client.ListGuidelinesAsync(new ListGuidelinesRequest(), cancellationToken: Ct);
        var answer = await client.RecommendAsync(ReferencePatients.RelapsedRefractory70Kg, cancellationToken: Ct);
        var health = await service.Get<HealthCheckService>().CheckHealthAsync(Ct);
        var record = (await new EvaluationLogService.EvaluationLogServiceClient(service.Channel)
            .GetEvaluationLogAsync(new GetEvaluationLogRequest { EvaluationId = answer.EvaluationId }, cancellationToken: Ct)).Record;

        Assert.Equal(AuthenticationMode.AnonymousDevelopment, listed.Authentication.Mode);
        Assert.StartsWith("Authentication is OFF", listed.Authentication.Description, StringComparison.Ordinal);
        Assert.NotEmpty(answer.Cards);
        Assert.Equal(HealthStatus.Degraded, health.Entries["authentication"].Status);
        Assert.StartsWith("Authentication is OFF", health.Entries["authentication"].Description, StringComparison.Ordinal);
        Assert.Equal(("anonymous-development", "Anonymous caller (Development, authentication off)"), (record.Caller, record.CallerName));
    }

    [Fact]
    public async Task AppTokens_ListGuidelinesAndHealth_SayTokensAreRequired()
    {
        await using var service = new RecommendationServiceHost();

        var listed = await service.Recommendations().ListGuidelinesAsync(new ListGuidelinesRequest(), cancellationToken: Ct);
        var health = await service.Get<HealthCheckService>().CheckHealthAsync(Ct);

        Assert.Equal(AuthenticationMode.AppTokens, listed.Authentication.Mode);
        Assert.Equal(HealthStatus.Healthy, health.Entries["authentication"].Status);
    }

    [Theory]
    [InlineData("http://0.0.0.0:0")]
    [InlineData("http://*:5080")]
    public void Development_WithNothingConfigured_OnANonLoopbackAddress_RefusesToStart(string url)
    {
        using var service = new RecommendationServiceHost(new Dictionary<string, string> { ["Kestrel:Endpoints:Grpc:Url"] = url }, anonymousDevelopment: true);

        var failure = Assert.Throws<InvalidOperationException>(() => service.Channel);

        Assert.Contains($"Development without authentication answers only on loopback, but the service would listen on {url}", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Development_WithAppTokensConfigured_StillRequiresThem()
    {
        await using var service = new RecommendationServiceHost(new Dictionary<string, string> { ["environment"] = "Development" });
        var anonymous = new RecommendationService.RecommendationServiceClient(service.Channel);

        var refused = await Assert.ThrowsAsync<RpcException>(() => anonymous.ListGuidelinesAsync(new ListGuidelinesRequest(), cancellationToken: Ct).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
        Assert.Equal("Development", service.Get<Microsoft.Extensions.Hosting.IHostEnvironment>().EnvironmentName);
    }

    [Fact]
    public async Task LogRow_OfAnAnsweredCall_NamesTheVerifiedAppAndKeepsTheHeaderAsAClaim()
    {
        await using var service = new RecommendationServiceHost();

        var answer = await service.Recommendations(clientApp: "pretends-to-be-the-portal").RecommendAsync(ReferencePatients.RelapsedRefractory70Kg, cancellationToken: Ct);

        await using var connection = new SqliteConnection($"Data Source={service.DatabasePath}");
        await connection.OpenAsync(Ct);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT caller, caller_name, claimed_caller, rpc FROM evaluation_logs WHERE evaluation_id = $id";
        command.Parameters.AddWithValue("$id", answer.EvaluationId);
        using var reader = await command.ExecuteReaderAsync(Ct);
        Assert.True(await reader.ReadAsync(Ct));
        Assert.Equal((LocalIdentityHost.EhrDemoAppId, "EHR demo app", "pretends-to-be-the-portal", "/alk.recommendation.v1.RecommendationService/Recommend"),
            (reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)));
    }
}
