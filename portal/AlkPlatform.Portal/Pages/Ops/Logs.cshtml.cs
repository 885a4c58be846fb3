using System.Globalization;
using AlkPlatform.Contracts.Ops.V1;
using AlkPlatform.Portal.Ops;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Mvc;

namespace AlkPlatform.Portal.Pages.Ops;

/// <summary>
/// The evaluation log of every replica, merged newest first, filtered, one keyset page at a time: each replica is read from
/// its own position, and the page link carries all of them.
/// </summary>
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

    /// <summary>Newest first across every replica that answered, each with the replica it came from.</summary>
    public IReadOnlyList<ReplicaAnswer<EvaluationLogRecord>> Records { get; private set; } = [];

    public string? NextPageToken { get; private set; }

    public async Task OnGetAsync()
    {
        if (!PageSizes.Contains(Size))
        {
            Size = 50;
        }
        var filter = Filter.ToFilter(FilterProblems);
        var cursor = MergedLogCursor.Decode(PageToken);
        if (cursor is null)
        {
            FilterProblems.Add("This page link is not one the log made: open the newest page and page on from there.");
        }
        if (FilterProblems.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return;
        }
        var pages = await CallEachAsync(replica => ReadAsync(replica, filter, cursor!));
        if (pages is null)
        {
            return;
        }
        var merged = MergedLogPage.Merge(pages, cursor!, Size);
        Records = merged.Records;
        NextPageToken = merged.HasMore ? (await RebasedAsync(merged.Next, pages.Select(p => p.Replica), filter)).Encode() : null;
    }

    /// <summary>The replica's records after its position in <paramref name="cursor"/>, at most a page of them.</summary>
    private async Task<ReplicaLogPage> ReadAsync(RecommendationServiceReplica replica, EvaluationLogFilter filter, MergedLogCursor cursor)
    {
        var from = cursor.Replicas.GetValueOrDefault(replica.Name);
        if (from is { Done: true })
        {
            return new ReplicaLogPage(from, [], "");
        }
        var request = new QueryEvaluationLogsRequest { Filter = filter.Clone(), PageSize = Size + (from?.Skip ?? 0), PageToken = from?.Token ?? "" };
        if (from is null && cursor.Before is { } before && (filter.To is null || filter.To.ToDateTimeOffset() > before))
        {
            // A replica first asked on a later page starts below the rows already shown (the filter's To is exclusive).
            request.Filter.To = Timestamp.FromDateTimeOffset(before);
        }
        var page = await replica.EvaluationLogs.QueryEvaluationLogsAsync(request, Unary);
        return new ReplicaLogPage(from ?? new ReplicaPosition("", 0, false), [.. page.Records.Skip(from?.Skip ?? 0)], page.NextPageToken);
    }

    /// <summary>
    /// A replica whose records were shown only in part keeps its token and a count to skip; once that count passes a page,
    /// one call for exactly those records gives the token after them, so no read ever asks for more than two pages.
    /// </summary>
    private async Task<MergedLogCursor> RebasedAsync(MergedLogCursor next, IEnumerable<RecommendationServiceReplica> replicas, EvaluationLogFilter filter)
    {
        var positions = new Dictionary<string, ReplicaPosition>(next.Replicas, StringComparer.Ordinal);
        foreach (var replica in replicas)
        {
            if (positions.GetValueOrDefault(replica.Name) is { Done: false, Skip: var skip } position && skip > Size)
            {
                var request = new QueryEvaluationLogsRequest { Filter = filter, PageSize = skip, PageToken = position.Token };
                try
                {
                    var skipped = await replica.EvaluationLogs.QueryEvaluationLogsAsync(request, Unary);
                    positions[replica.Name] = new ReplicaPosition(skipped.NextPageToken, 0, skipped.NextPageToken.Length == 0);
                }
                catch (RpcException)
                {
                    // Nothing on this page is missing: the next page reads this replica from its old token and skip instead.
                }
            }
        }
        return next with { Replicas = positions };
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
