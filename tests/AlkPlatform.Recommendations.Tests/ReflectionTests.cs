using AlkPlatform.Testing;
using Grpc.Reflection.V1Alpha;

namespace AlkPlatform.Recommendations.Tests;

public sealed class ReflectionTests : IDisposable
{
    private readonly RecommendationServiceHost _service = new();

    public void Dispose() => _service.Dispose();

    [Fact]
    public async Task Reflection_ListsTheRecommendationService()
    {
        var reflection = new ServerReflection.ServerReflectionClient(_service.Channel);
        using var call = reflection.ServerReflectionInfo(cancellationToken: TestContext.Current.CancellationToken);

        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" }, TestContext.Current.CancellationToken);
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext(TestContext.Current.CancellationToken));

        Assert.Contains(call.ResponseStream.Current.ListServicesResponse.Service, s => s.Name == "alk.recommendation.v1.RecommendationService");
    }
}
