using AlkPlatform.Contracts.Ops.V1;
using AlkPlatform.Portal.Ops;
using Google.Protobuf.WellKnownTypes;
using Microsoft.AspNetCore.Mvc;

namespace AlkPlatform.Portal.Pages.Ops;

/// <summary>
/// The board's to-do list from the service's log: questions Ask did not answer, the terms it did not know and the
/// combinations no statement covers, most frequent first, with example questions as the log's masking left them.
/// </summary>
public sealed class AbstentionsModel(RecommendationServiceConnection service, TimeProvider clock) : OpsPage(service)
{
    public const int DefaultDays = 30;

    [BindProperty(SupportsGet = true)]
    public string? From { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? To { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Guideline { get; set; }

    public List<string> FilterProblems { get; } = [];

    public GetAskAbstentionsResponse? Summary { get; private set; }

    public async Task OnGetAsync()
    {
        var now = clock.GetUtcNow();
        // By default up to the next whole minute, so the form (minutes only) shows a range that includes the last call.
        var to = string.IsNullOrWhiteSpace(To) ? new DateTimeOffset(now.Ticks - now.Ticks % TimeSpan.TicksPerMinute, TimeSpan.Zero).AddMinutes(1) : LogFilterForm.ParseTime(To);
        var from = string.IsNullOrWhiteSpace(From) ? to?.AddDays(-DefaultDays) : LogFilterForm.ParseTime(From);
        if (from is null)
        {
            FilterProblems.Add("From: enter a date and time (UTC).");
        }
        if (to is null)
        {
            FilterProblems.Add("To: enter a date and time (UTC).");
        }
        if (from >= to)
        {
            FilterProblems.Add("To must be later than From.");
        }
        if (FilterProblems.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return;
        }
        From = LogFilterForm.FormatTime(from!.Value);
        To = LogFilterForm.FormatTime(to!.Value);
        var request = new GetAskAbstentionsRequest
        {
            From = Timestamp.FromDateTimeOffset(from.Value),
            To = Timestamp.FromDateTimeOffset(to.Value),
            GuidelineId = Guideline?.Trim() ?? "",
            Top = 50,
            Examples = 3,
        };
        var parts = await CallEachAsync(async replica => await replica.EvaluationLogs.GetAskAbstentionsAsync(request, Unary));
        Summary = parts is null ? null : EvaluationLogMerge.Abstentions([.. parts.Select(p => p.Value)], request.Top, request.Examples);
    }

    public static string ReasonLabel(Contracts.Recommendation.V1.AskAbstention reason) => reason switch
    {
        Contracts.Recommendation.V1.AskAbstention.UnknownTerms => "Terms the guideline does not know",
        Contracts.Recommendation.V1.AskAbstention.QualifierNotCovered => "A population or disease no answering statement names",
        Contracts.Recommendation.V1.AskAbstention.CombinationNotCovered => "Known words no statement covers together",
        Contracts.Recommendation.V1.AskAbstention.NothingToAnswer => "Nothing but generic words",
        _ => reason.ToString(),
    };
}
