using AlkPlatform.Testing;
using Grpc.Core;

namespace AlkPlatform.Recommendations.Tests.Limits;

/// <summary>Header limits are Kestrel's, so these calls go over a real loopback h2c connection.</summary>
public sealed class RequestHeaderLimitTests : IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly RecommendationServiceHost _service = new();

    public RequestHeaderLimitTests() => _service.StartOnKestrel();

    public void Dispose() => _service.Dispose();

    [Fact]
    public async Task Recommend_HeadersOver16Kb_AreRefused_AndTheNextCallIsAnswered()
    {
        var client = _service.Recommendations();
        var padded = new Metadata { { "x-padding", new string('p', 20 * 1024) } };

        var error = await Assert.ThrowsAsync<RpcException>(() => client.RecommendAsync(ReferencePatients.RelapsedRefractory70Kg, padded, cancellationToken: Ct).ResponseAsync);
        var answer = await client.RecommendAsync(ReferencePatients.RelapsedRefractory70Kg, new Metadata { { "x-padding", new string('p', 8 * 1024) } }, cancellationToken: Ct);

        Assert.NotEqual(StatusCode.OK, error.StatusCode);
        Assert.NotEmpty(answer.Cards);
    }

    [Fact]
    public async Task Recommend_MoreThan48Headers_AreRefused()
    {
        var many = new Metadata();
        for (var i = 0; i < 60; i++)
        {
            many.Add($"x-h{i}", "v");
        }

        var error = await Assert.ThrowsAsync<RpcException>(() => _service.Recommendations().RecommendAsync(ReferencePatients.RelapsedRefractory70Kg, many, cancellationToken: Ct).ResponseAsync);

        Assert.NotEqual(StatusCode.OK, error.StatusCode);
    }
}
