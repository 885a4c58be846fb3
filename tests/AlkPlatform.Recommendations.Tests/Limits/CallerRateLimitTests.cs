using System.Security.Claims;
using System.Threading.RateLimiting;
using AlkPlatform.Contracts.Recommendation.V1;
using AlkPlatform.Recommendations.RateLimiting;
using AlkPlatform.Testing;
using Google.Rpc;
using Grpc.Core;
using Grpc.Health.V1;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace AlkPlatform.Recommendations.Tests.Limits;

/// <summary>A small budget that never refills during a test, so every count is exact.</summary>
public sealed class CallerRateLimitTests : IDisposable
{
    private const int Burst = 3;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly RecommendationServiceHost _service = new(new Dictionary<string, string>
    {
        ["RateLimits:TokenLimit"] = Burst.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["RateLimits:TokensPerPeriod"] = "1",
        ["RateLimits:ReplenishmentPeriod"] = "01:00:00",
    });

    public void Dispose() => _service.Dispose();

    [Fact]
    public async Task Recommend_BeyondTheCallersBurst_IsResourceExhausted_WithRetryInfo()
    {
        var client = _service.Recommendations();
        for (var i = 0; i < Burst; i++)
        {
            await client.RecommendAsync(ReferencePatients.RelapsedRefractory70Kg, cancellationToken: Ct);
        }

        var error = await Assert.ThrowsAsync<RpcException>(() => client.RecommendAsync(ReferencePatients.RelapsedRefractory70Kg, cancellationToken: Ct).ResponseAsync);

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        var retry = error.GetRpcStatus()?.GetDetail<RetryInfo>();
        Assert.NotNull(retry);
        Assert.InRange(retry.RetryDelay.ToTimeSpan(), TimeSpan.FromMinutes(1), TimeSpan.FromHours(1));
    }

    [Fact]
    public async Task ClientAppHeader_DoesNotBuyAFreshBudget()
    {
        for (var i = 0; i < Burst; i++)
        {
            await _service.Recommendations($"app-{i}").RecommendAsync(ReferencePatients.RelapsedRefractory70Kg, cancellationToken: Ct);
        }

        var error = await Assert.ThrowsAsync<RpcException>(() => _service.Recommendations("yet-another-label").RecommendAsync(ReferencePatients.RelapsedRefractory70Kg, cancellationToken: Ct).ResponseAsync);

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
    }

    [Fact]
    public async Task Health_WithTheBudgetSpent_IsStillAnswered()
    {
        var client = _service.Recommendations();
        for (var i = 0; i < Burst; i++)
        {
            await client.ListGuidelinesAsync(new ListGuidelinesRequest(), cancellationToken: Ct);
        }
        await Assert.ThrowsAsync<RpcException>(() => client.ListGuidelinesAsync(new ListGuidelinesRequest(), cancellationToken: Ct).ResponseAsync);

        var health = new Health.HealthClient(_service.Channel);
        for (var i = 0; i < Burst * 2; i++)
        {
            Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await health.CheckAsync(new HealthCheckRequest(), cancellationToken: Ct)).Status);
        }
    }

    [Fact]
    public void Limiter_OneAppSpendingItsBudget_LeavesAnotherAppsUntouched()
    {
        var limiter = _service.Get<IOptions<RateLimiterOptions>>().Value.GlobalLimiter!;
        var appA = Call(new Claim("azp", "11111111-aaaa-4aaa-8aaa-aaaaaaaaaaaa"));
        var appB = Call(new Claim("appid", "22222222-bbbb-4bbb-8bbb-bbbbbbbbbbbb"));

        var grantedA = Enumerable.Range(0, Burst + 2).Count(_ => limiter.AttemptAcquire(appA).IsAcquired);
        var grantedB = Enumerable.Range(0, Burst + 2).Count(_ => limiter.AttemptAcquire(appB).IsAcquired);

        Assert.Equal(Burst, grantedA);
        Assert.Equal(Burst, grantedB);
    }

    [Fact]
    public void CallerPartition_IsTheTokensApp_ElseAnonymous()
    {
        static ClaimsPrincipal User(params Claim[] claims) => new(new ClaimsIdentity(claims, "Bearer"));

        Assert.Equal("app-v2", CallerPartition.KeyOf(User(new Claim("azp", "app-v2"), new Claim("appid", "ignored"))));
        Assert.Equal("app-v1", CallerPartition.KeyOf(User(new Claim("appid", "app-v1"))));
        Assert.Equal(CallerPartition.Anonymous, CallerPartition.KeyOf(User(new Claim("name", "no app"))));
        Assert.Equal(CallerPartition.Anonymous, CallerPartition.KeyOf(new ClaimsPrincipal(new ClaimsIdentity([new Claim("azp", "unauthenticated")]))));
        Assert.Equal(CallerPartition.Anonymous, CallerPartition.KeyOf(null));
    }

    private static DefaultHttpContext Call(Claim app)
    {
        var context = new DefaultHttpContext { User = new ClaimsPrincipal(new ClaimsIdentity([app], "Bearer")) };
        context.Request.Path = "/alk.recommendation.v1.RecommendationService/Recommend";
        return context;
    }
}
