using System.Globalization;
using AlkPlatform.Contracts.Ops.V1;
using AlkPlatform.Portal.Ops;
using Microsoft.AspNetCore.Mvc;

namespace AlkPlatform.Portal.Pages.Ops;

/// <summary>The evaluation log, newest first, filtered, one keyset page at a time.</summary>
public sealed class LogsModel(RecommendationServiceConnection service) : OpsPage(service)
{
    public static IReadOnlyList<int> PageSizes { get; } = [20, 50, 100, 200];

    [BindProperty(SupportsGet = true)]
    public LogFilterForm Filter { get; set; } = new();

    /// <summary>The keyset position from the previous page; empty for the newest page.</summary>
    [BindProperty(SupportsGet = true, Name = "after")]
    public string? PageToken { get; set; }

    [BindProperty(SupportsGet = true, Name = "size")]
    public int Size { get; set; } = 50;

    public List<string> FilterProblems { get; } = [];

    public IReadOnlyList<EvaluationLogRecord> Records { get; private set; } = [];

    public string? NextPageToken { get; private set; }

    public async Task OnGetAsync()
    {
        if (!PageSizes.Contains(Size))
        {
            Size = 50;
        }
        var filter = Filter.ToFilter(FilterProblems);
        if (FilterProblems.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return;
        }
        var request = new QueryEvaluationLogsRequest { Filter = filter, PageSize = Size, PageToken = PageToken ?? "" };
        var page = await CallAsync(async () => await Service.EvaluationLogs.QueryEvaluationLogsAsync(request, Unary));
        if (page is not null)
        {
            Records = page.Records;
            NextPageToken = string.IsNullOrEmpty(page.NextPageToken) ? null : page.NextPageToken;
        }
    }

    /// <summary>A link to this list (or another ops page) with the same filter, plus extra values.</summary>
    public string Link(string path, params (string Name, string? Value)[] extra)
    {
        var query = Filter.ToQuery();
        foreach (var (name, value) in extra)
        {
            if (!string.IsNullOrEmpty(value))
            {
                query[name] = value;
            }
        }
        return Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString(path, query!);
    }

    public string NextPageLink => Link("/Ops/Logs", ("after", NextPageToken), ("size", Size.ToString(CultureInfo.InvariantCulture)));
}
