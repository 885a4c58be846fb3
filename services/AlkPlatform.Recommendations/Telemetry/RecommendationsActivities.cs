using System.Diagnostics;

namespace AlkPlatform.Recommendations.Telemetry;

/// <summary>
/// The service's own spans, around the units that touch SQLite or swap what is served (a group commit, a release store
/// write, an activation); never around one call's in-memory evaluation. Without a listener StartActivity returns null.
/// </summary>
public static class RecommendationsActivities
{
    public const string SourceName = "AlkPlatform.Recommendations";

    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>Marks the span failed with the exception's type only: messages can quote what a caller sent.</summary>
    public static void RecordFailure(this Activity? activity, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (activity is null)
        {
            return;
        }
        activity.SetStatus(ActivityStatusCode.Error);
        activity.SetTag("error.type", exception.GetType().FullName);
    }
}
