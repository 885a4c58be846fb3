using AlkPlatform.Contracts.Recommendation.V1;
using AlkPlatform.Portal.Tests.Infrastructure;
using AlkPlatform.Testing;
using Grpc.Core;

namespace AlkPlatform.Portal.Tests;

/// <summary>
/// The real recommendation service answers a few calls; the ops pages, signed in as the ops demo user through the real
/// OIDC flow, must show, filter, detail, export, replay and chart exactly those calls.
/// </summary>
public sealed class OpsWorld : IAsyncLifetime
{
    public const int WardCalls = 21;

    // The portal's world and the service share one identity provider: the ops pages' tokens must be ones the service accepts.
    private readonly LocalIdentityHost _identity = new();

    public OpsWorld() => Service = new RecommendationServiceHost(identity: _identity);

    public RecommendationServiceHost Service { get; }
    public PortalWorld World { get; private set; } = null!;
    public HttpClient Otto { get; private set; } = null!;

    /// <summary>
    /// Answered calls, oldest first: 21 from the ward demo app (labelling itself "ward-app"), then 2 from the EHR demo app
    /// (labelling itself "clinic-app").
    /// </summary>
    public List<RecommendResponse> Ward { get; } = [];
    public List<RecommendResponse> Clinic { get; } = [];

    /// <summary>The one refused call: an unknown guideline.</summary>
    public string FailedEvaluationId { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        Service.StartOnKestrel();
        var ward = Service.Recommendations("ward-app", LocalIdentityHost.WardDemoApp);
        for (var i = 0; i < WardCalls; i++)
        {
            Ward.Add(await ward.RecommendAsync(ReferencePatients.RelapsedRefractory(50 + i, correlationId: $"bed-{i}")));
        }
        var clinic = Service.Recommendations("clinic-app", LocalIdentityHost.EhrDemoApp);
        for (var i = 0; i < 2; i++)
        {
            Clinic.Add(await clinic.RecommendAsync(ReferencePatients.RelapsedRefractory(80 + i)));
        }
        var refused = await Assert.ThrowsAsync<RpcException>(async () =>
            await clinic.RecommendAsync(new RecommendRequest { GuidelineId = "no-such-guideline", Facts = new PatientFacts() }));
        FailedEvaluationId = refused.Trailers.GetValue("x-evaluation-id") ?? "";
        var card = Clinic[0].Cards[0];
        await Service.Feedback("clinic-app", LocalIdentityHost.EhrDemoApp).SubmitFeedbackAsync(new SubmitFeedbackRequest
        {
            EvaluationId = Clinic[0].EvaluationId,
            CardId = card.Id,
            Outcome = FeedbackOutcome.Overridden,
            OverrideReasonCode = "patient-preference",
        });

        World = await PortalWorld.StartAsync(Service.PortalSettings(), identity: _identity);
        Otto = await World.ClientFor(SignIn.User("otto.ops"));
    }

    public async ValueTask DisposeAsync()
    {
        Otto.Dispose();
        await World.DisposeAsync();
        await Service.DisposeAsync();
    }
}
