using AlkPlatform.Contracts.Recommendation.V1;
using AlkPlatform.Testing;
using Grpc.Core;
using Grpc.Net.Client;

namespace AlkPlatform.Recommendations.Tests;

/// <summary>
/// A replica that starts while apps are already calling — a rolling restart, a new pod behind a busy Service — meets a
/// burst of calls before it has validated a single token. Every call of that burst is answered. (Microsoft.Identity.Web's
/// own issuer validator fetched the issuer metadata by blocking a thread per call: 256 calls starved the thread pool until
/// the metadata fetch itself timed out, and the replica hung or refused valid tokens for about a minute.)
/// </summary>
public sealed class ColdReplicaBurstTests
{
    private const int Connections = 16;
    private const int CallsPerConnection = 16;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task FirstBurst_OnAReplicaThatHasValidatedNoTokenYet_IsAnsweredInFull()
    {
        var data = Directory.CreateTempSubdirectory("alk-service-").FullName;
        var identity = LocalIdentityHost.Shared;
        // The apps already hold their tokens; the replica has fetched nothing from the provider yet.
        var token = identity.TokenFor(LocalIdentityHost.EhrDemoApp, LocalIdentityHost.Service);
        var service = await RecommendationServiceProcess.StartAsync(data, new Dictionary<string, string>(), Ct, identity, cold: true);
        var channels = Enumerable.Range(0, Connections).Select(_ => GrpcChannel.ForAddress(service.Address)).ToList();
        try
        {
            // The deadline only keeps a hang from holding the test: an answer is expected at once.
            var calls = channels.SelectMany(channel => Enumerable.Range(0, CallsPerConnection).Select(_ =>
                OutcomeAsync(new RecommendationService.RecommendationServiceClient(channel.WithBearer(() => token, "cold-burst-test")))));
            var outcomes = await Task.WhenAll(calls);

            var failed = outcomes.Where(o => o != "OK").GroupBy(o => o).Select(g => $"{g.Count()} × {g.Key}").ToList();
            Assert.True(failed.Count == 0,
                $"of {outcomes.Length} calls on a cold replica, not answered: {string.Join("; ", failed)}{Environment.NewLine}{service.Output}");
        }
        finally
        {
            channels.ForEach(channel => channel.Dispose());
            await service.DisposeAsync();
            Directory.Delete(data, recursive: true);
        }
    }

    private static async Task<string> OutcomeAsync(RecommendationService.RecommendationServiceClient client)
    {
        try
        {
            var answer = await client.RecommendAsync(ReferencePatients.RelapsedRefractory70Kg, deadline: DateTime.UtcNow.AddSeconds(60), cancellationToken: Ct);
            return answer.Cards.Count > 0 ? "OK" : "answered without cards";
        }
        catch (RpcException e)
        {
            return $"{e.StatusCode}: {e.Status.Detail}";
        }
    }
}
