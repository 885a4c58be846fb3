using AlkPlatform.Testing;
using Grpc.Reflection.V1Alpha;

namespace AlkPlatform.Recommendations.Tests;

public sealed class ReflectionTests : IDisposable
{
    private readonly RecommendationServiceHost _service = new();

    public void Dispose() => _service.Dispose();

    [Fact]
    public async Task Reflection_ForAnAppWithARole_ListsTheRecommendationService()
    {
        var reflection = new ServerReflection.ServerReflectionClient(_service.As(LocalIdentityHost.EhrDemoApp));
        using var call = reflection.ServerReflectionInfo(cancellationToken: TestContext.Current.CancellationToken);

        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" }, TestContext.Current.CancellationToken);
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext(TestContext.Current.CancellationToken));

        Assert.Contains(call.ResponseStream.Current.ListServicesResponse.Service, s => s.Name == "alk.recommendation.v1.RecommendationService");
    }

    [Theory]
    [InlineData(null)]
    [InlineData(LocalIdentityHost.NoRoleApp)]
    public async Task Reflection_OutsideDevelopment_WithoutATokenOrARole_IsRefused(string? app)
    {
        var reflection = new ServerReflection.ServerReflectionClient(_service.As(app));
        using var call = reflection.ServerReflectionInfo(cancellationToken: TestContext.Current.CancellationToken);

        var refused = await Assert.ThrowsAsync<Grpc.Core.RpcException>(async () =>
        {
            await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" }, TestContext.Current.CancellationToken);
            await call.ResponseStream.MoveNext(TestContext.Current.CancellationToken);
        });

        Assert.Equal(app is null ? Grpc.Core.StatusCode.Unauthenticated : Grpc.Core.StatusCode.PermissionDenied, refused.StatusCode);
    }

    [Fact]
    public async Task Reflection_InDevelopment_AnswersWithoutAToken()
    {
        await using var development = new RecommendationServiceHost(anonymousDevelopment: true);
        var reflection = new ServerReflection.ServerReflectionClient(development.Channel);
        using var call = reflection.ServerReflectionInfo(cancellationToken: TestContext.Current.CancellationToken);

        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" }, TestContext.Current.CancellationToken);
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext(TestContext.Current.CancellationToken));

        Assert.Contains(call.ResponseStream.Current.ListServicesResponse.Service, s => s.Name == "alk.recommendation.v1.RecommendationService");
    }
}
