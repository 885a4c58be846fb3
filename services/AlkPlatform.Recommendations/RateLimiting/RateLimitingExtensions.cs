using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace AlkPlatform.Recommendations.RateLimiting;

public static class RateLimitingExtensions
{
    private const string HealthPath = "/grpc.health.v1.Health";

    /// <summary>
    /// One token bucket per calling app (section <c>RateLimits</c>), so one app's burst cannot starve the others or fill
    /// the evaluation log; health checks are never limited. A refused call gets ResourceExhausted with RetryInfo.
    /// </summary>
    public static WebApplicationBuilder AddCallerRateLimits(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<CallerRateLimitOptions>().BindConfiguration(CallerRateLimitOptions.Section)
            .Validate(o => o.IsValid, "RateLimits: TokenLimit, TokensPerPeriod and ReplenishmentPeriod must be positive, QueueLimit not negative.")
            .ValidateOnStart();
        builder.Services.AddRateLimiter(_ => { });
        builder.Services.AddOptions<RateLimiterOptions>().Configure<IOptions<CallerRateLimitOptions>>((limiter, configured) =>
        {
            var limits = configured.Value;
            var bucket = new TokenBucketRateLimiterOptions
            {
                TokenLimit = limits.TokenLimit,
                TokensPerPeriod = limits.TokensPerPeriod,
                ReplenishmentPeriod = limits.ReplenishmentPeriod,
                QueueLimit = limits.QueueLimit,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                AutoReplenishment = true,
            };
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                context.Request.Path.StartsWithSegments(HealthPath, StringComparison.Ordinal)
                    ? RateLimitPartition.GetNoLimiter("health")
                    : RateLimitPartition.GetTokenBucketLimiter(CallerPartition.KeyOf(context.User), _ => bucket));
            limiter.OnRejected = (rejected, _) =>
            {
                var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : limits.ReplenishmentPeriod;
                GrpcRefusal.WriteResourceExhausted(rejected.HttpContext,
                    "Rate limit exceeded for this calling app; retry after the delay in RetryInfo.", retryAfter);
                return ValueTask.CompletedTask;
            };
        });
        return builder;
    }

    /// <summary>After authentication (the partition is the authenticated app), before any gRPC service.</summary>
    public static WebApplication UseCallerRateLimits(this WebApplication app)
    {
        app.UseRateLimiter();
        return app;
    }
}
