namespace AlkPlatform.Recommendations.RateLimiting;

/// <summary>
/// The <c>RateLimits</c> configuration section: one token bucket per calling app. A call takes a token; the bucket holds
/// at most <see cref="TokenLimit"/> and gains <see cref="TokensPerPeriod"/> every <see cref="ReplenishmentPeriod"/>.
/// </summary>
public sealed class CallerRateLimitOptions
{
    public const string Section = "RateLimits";

    /// <summary>The burst an app may send at once.</summary>
    public int TokenLimit { get; set; } = 400;

    /// <summary>The sustained rate, per <see cref="ReplenishmentPeriod"/>.</summary>
    public int TokensPerPeriod { get; set; } = 200;

    public TimeSpan ReplenishmentPeriod { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Calls that wait for a token instead of being refused at once; 0 refuses at once.</summary>
    public int QueueLimit { get; set; }

    public bool IsValid => TokenLimit > 0 && TokensPerPeriod > 0 && ReplenishmentPeriod > TimeSpan.Zero && QueueLimit >= 0;
}
