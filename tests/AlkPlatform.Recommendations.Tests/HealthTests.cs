using AlkPlatform.Testing;
using Grpc.Health.V1;

namespace AlkPlatform.Recommendations.Tests;

public sealed class HealthTests : IDisposable
{
    private readonly RecommendationServiceHost _service = new();

    public void Dispose() => _service.Dispose();

    [Fact]
    public async Task Health_ReportsServing()
    {
        var health = new Health.HealthClient(_service.Channel);

        var response = await health.CheckAsync(new HealthCheckRequest(), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, response.Status);
    }
}
