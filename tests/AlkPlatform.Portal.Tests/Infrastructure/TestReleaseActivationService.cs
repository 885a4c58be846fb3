using System.Net;
using AlkPlatform.Contracts.Ops.V1;
using AlkPlatform.Contracts.Releases.V1;
using AlkPlatform.Guidelines.Releases.Signing;
using AlkPlatform.Testing;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Google.Protobuf.WellKnownTypes;

namespace AlkPlatform.Portal.Tests.Infrastructure;

/// <summary>
/// A recommendation service's alk.ops.v1.ReleaseActivationService as a real gRPC server on a loopback port, built from
/// the contract: it answers with the signed events the test says it activated, and only to a caller presenting an app
/// token of the portal (read, not validated: the real service's validation has its own tests).
/// </summary>
public sealed class TestReleaseActivationService : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestReleaseActivationService(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>The events the service holds, oldest first; the test sets them as a service's activations would be.</summary>
    public IReadOnlyList<SignedReleaseEvent> Held { get => _app.Services.GetRequiredService<State>().Held; set => _app.Services.GetRequiredService<State>().Held = value; }

    public static async Task<TestReleaseActivationService> StartAsync(string serviceId)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.Sources.Clear();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(new State(serviceId));
        var app = builder.Build();
        app.MapGrpcService<ActivationApi>();
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        return new TestReleaseActivationService(app, address);
    }

    /// <summary>Portal settings that point the audit page at this service (and whatever else the test adds).</summary>
    public Dictionary<string, string> PortalSettings() => new()
    {
        ["RecommendationService:Address"] = Address.ToString(),
        ["RecommendationService:Scope"] = $"api://{LocalIdentityHost.ServiceClientId}/.default",
    };

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private sealed class State(string serviceId)
    {
        public string ServiceId { get; } = serviceId;
        public IReadOnlyList<SignedReleaseEvent> Held { get; set; } = [];
    }

    private sealed class ActivationApi(State state) : ReleaseActivationService.ReleaseActivationServiceBase
    {
        public override Task<ListReleaseActivationsResponse> ListReleaseActivations(ListReleaseActivationsRequest request, ServerCallContext context)
        {
            var bearer = context.RequestHeaders.GetValue("authorization") ?? "";
            if (!bearer.StartsWith("Bearer ", StringComparison.Ordinal)
                || new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(bearer["Bearer ".Length..]).GetPayloadValue<string>("azp") != LocalIdentityHost.PortalClientId)
            {
                throw new RpcException(new Status(StatusCode.Unauthenticated, "no app token of the portal"));
            }
            var response = new ListReleaseActivationsResponse { ServiceId = state.ServiceId };
            response.Activations.AddRange(state.Held.Select(e => new ReleaseActivation
            {
                SignedEvent = SignedEvent.FromDomain(e),
                ActivatedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow),
            }));
            return Task.FromResult(response);
        }
    }
}
