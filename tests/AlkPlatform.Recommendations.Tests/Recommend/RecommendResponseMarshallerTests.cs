using AlkPlatform.Recommendations.Authentication;
using System.Buffers;
using AlkPlatform.Contracts.Recommendation.V1;
using AlkPlatform.Guidelines.Releases;
using AlkPlatform.Recommendations.Diagnostics;
using AlkPlatform.Recommendations.Recommend;
using AlkPlatform.Recommendations.Releases;
using AlkPlatform.Testing;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;

namespace AlkPlatform.Recommendations.Tests.Recommend;

public sealed class RecommendResponseMarshallerTests
{
    private static readonly TriState[] TriStates = [TriState.Unspecified, TriState.Yes, TriState.No];

    /// <summary>A grid of patients that reaches conflicts, unresolved and resolved doses, missing facts and both audiences.</summary>
    public static IEnumerable<RecommendRequest> Requests()
    {
        foreach (var audience in new[] { Audience.Clinician, Audience.Patient })
        foreach (var line in new[] { LineOfTherapy.Unspecified, LineOfTherapy.Frontline, LineOfTherapy.RelapsedRefractory })
        foreach (var cns in TriStates)
        foreach (var weight in new double?[] { null, 30, 70 })
        foreach (var alectinib in TriStates)
        foreach (var inhibitor in new[] { AlkInhibitor.Unspecified, AlkInhibitor.Crizotinib })
        foreach (var pneumonitis in new[] { TriState.Unspecified, TriState.Yes })
        {
            var facts = new PatientFacts
            {
                LineOfTherapy = line, CnsInvolvement = cns, AlectinibAvailable = alectinib,
                CurrentAlkInhibitor = inhibitor, SuspectedPneumonitis = pneumonitis,
                AllogeneicTransplantEligible = TriState.Yes, ChemosensitiveDisease = TriState.Yes, Cd20Status = Cd20Status.Positive,
            };
            if (weight is { } kg)
            {
                facts.WeightKg = kg;
            }
            if (inhibitor == AlkInhibitor.Crizotinib && alectinib == TriState.No)
            {
                continue;
            }
            yield return new RecommendRequest { Audience = audience, Facts = facts };
        }
    }

    /// <summary>The API called directly, outside a host: authentication plays no part in Recommend.</summary>
    private static CallerAuthentication AnonymousDevelopment => CallerAuthentication.Decide(
        new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build(),
        new Microsoft.Extensions.Hosting.Internal.HostingEnvironment { EnvironmentName = "Development" });

    [Fact]
    public async Task Serialize_EveryPatientInGrid_IsByteIdenticalToProtobuf()
    {
        var catalog = new ReleaseCatalog();
        catalog.Activate(LiveRelease.Prepare(BundledSeedRelease.Create()));
        var api = new RecommendationApi(catalog, new AlkPlatform.Recommendations.ReleaseFeed.ReleaseFeedStatus(), AlkPlatform.Recommendations.Limits.RequestLimits.Defaults, AnonymousDevelopment);
        var buffer = new ArrayBufferWriter<byte>();
        var compared = 0;
        foreach (var request in Requests())
        {
            var response = await api.Recommend(request, null!);
            buffer.ResetWrittenCount();
            RecommendResponseMarshaller.WriteTo(response, buffer);
            var expected = response.ToByteArray();
            Assert.Equal(expected.Length, RecommendResponseMarshaller.CalculateSize(response));
            Assert.Equal(expected, buffer.WrittenSpan.ToArray());
            compared++;
        }
        Assert.True(compared > 100);
    }

    /// <summary>
    /// SHA-256 over every grid response (evaluation id blanked), recorded with the handler as it was before the hot-path
    /// optimisations (pre-serialised cards, one-span responses): cards, missing facts and explanation must stay exactly what they were. A deliberate
    /// change to the seed content or to what Recommend answers changes it: re-record it then, from the failure message.
    /// </summary>
    private const string GoldenGridHash = "D5C9881BFA447D7566A09A8D8AE6715F08E387830AAEC7BAB60CEC0593192B5E";

    [Fact]
    public async Task Recommend_GridOfPatients_AnswersExactlyAsBeforeOptimisation()
    {
        var catalog = new ReleaseCatalog();
        catalog.Activate(LiveRelease.Prepare(BundledSeedRelease.Create()));
        var api = new RecommendationApi(catalog, new AlkPlatform.Recommendations.ReleaseFeed.ReleaseFeedStatus(), AlkPlatform.Recommendations.Limits.RequestLimits.Defaults, AnonymousDevelopment);
        using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        foreach (var request in Requests())
        {
            var response = await api.Recommend(request, null!);
            response.EvaluationId = "";
            hash.AppendData(response.ToByteArray());
        }
        var actual = Convert.ToHexString(hash.GetHashAndReset());
        Assert.True(actual == GoldenGridHash, $"grid responses changed: hash {actual}");
    }

    [Fact]
    public async Task Recommend_OverGrpc_ReturnsWhatTheHandlerBuiltAndCountsStatuses()
    {
        await using var factory = new RecommendationServiceHost();
        var client = factory.Recommendations();
        var request = ReferencePatients.RelapsedRefractory70Kg;

        var overGrpc = await client.RecommendAsync(request, cancellationToken: TestContext.Current.CancellationToken);
        var direct = await new RecommendationApi(factory.Services.GetRequiredService<ReleaseCatalog>(), new AlkPlatform.Recommendations.ReleaseFeed.ReleaseFeedStatus(), AlkPlatform.Recommendations.Limits.RequestLimits.Defaults, AnonymousDevelopment).Recommend(request, null!);
        direct.EvaluationId = overGrpc.EvaluationId;
        Assert.Equal(direct, overGrpc);
        Assert.NotEmpty(overGrpc.Cards);

        var invalid = new RecommendRequest { Facts = new PatientFacts { WeightKg = -1 } };
        var error = await Assert.ThrowsAsync<RpcException>(() => client.RecommendAsync(invalid, cancellationToken: TestContext.Current.CancellationToken).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);

        var counts = factory.Services.GetRequiredService<CallStatusCounter>().Snapshot()["/alk.recommendation.v1.RecommendationService/Recommend"];
        Assert.Equal(1, counts["OK"]);
        Assert.Equal(1, counts["InvalidArgument"]);
    }
}
