using AlkPlatform.Recommendations.EvaluationLogs;
using AlkPlatform.Recommendations.Recommend;
using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace AlkPlatform.Recommendations.Limits;

public static class LimitsExtensions
{
    /// <summary>
    /// Bounds what one call may send (section <c>Limits</c>): message size per service, header size and count at Kestrel,
    /// field lengths at the handlers; nothing a caller sends is stored or echoed beyond them.
    /// </summary>
    public static WebApplicationBuilder AddRequestLimits(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<LimitsOptions>().BindConfiguration(LimitsOptions.Section)
            .Validate(o => !o.Invalid().Any(), "Every Limits:* setting must be a positive number.")
            .ValidateOnStart();
        builder.Services.AddSingleton<RequestLimits>();
        builder.Services.AddOptions<KestrelServerOptions>().Configure<IOptions<LimitsOptions>>((kestrel, limits) =>
        {
            kestrel.Limits.MaxRequestHeadersTotalSize = limits.Value.MaxRequestHeadersTotalBytes;
            kestrel.Limits.MaxRequestHeaderCount = limits.Value.MaxRequestHeaderCount;
            kestrel.Limits.Http2.MaxRequestHeaderFieldSize = limits.Value.MaxRequestHeadersTotalBytes;
        });
        builder.Services.AddOptions<GrpcServiceOptions>().Configure<IOptions<LimitsOptions>>((grpc, limits) =>
            grpc.MaxReceiveMessageSize = limits.Value.MaxMessageBytes);
        builder.Services.AddOptions<GrpcServiceOptions<RecommendationApi>>().Configure<IOptions<LimitsOptions>>((grpc, limits) =>
            grpc.MaxReceiveMessageSize = limits.Value.MaxClinicalMessageBytes);
        builder.Services.AddOptions<GrpcServiceOptions<CardFeedbackApi>>().Configure<IOptions<LimitsOptions>>((grpc, limits) =>
            grpc.MaxReceiveMessageSize = limits.Value.MaxClinicalMessageBytes);
        return builder;
    }
}
