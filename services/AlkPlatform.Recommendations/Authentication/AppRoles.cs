namespace AlkPlatform.Recommendations.Authentication;

/// <summary>
/// The service's Entra app roles (allowed member type: Application), as declared in deploy/entra-app-roles.json. Each
/// is also the name of the authorisation policy that requires it.
/// </summary>
public static class AppRoles
{
    /// <summary>Recommend, GetGuideline, Ask, ListGuidelines: what a clinician's app needs.</summary>
    public const string RecommendationsRead = "Recommendations.Read";

    /// <summary>SubmitFeedback, on evaluations the same app received.</summary>
    public const string FeedbackWrite = "Feedback.Write";

    /// <summary>The ops API (evaluation logs, feedback summaries, release activations): the portal's ops pages.</summary>
    public const string EvaluationLogsRead = "EvaluationLogs.Read";

    public static IReadOnlyList<string> All { get; } = [RecommendationsRead, FeedbackWrite, EvaluationLogsRead];
}
