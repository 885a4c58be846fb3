using System.Globalization;
using AlkPlatform.Contracts.Ops.V1;
using AlkPlatform.Portal.Ops;
using Grpc.Core;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace AlkPlatform.Portal.Pages.Ops;

/// <summary>
/// Streams the service's export (CSV or JSON lines) straight to the browser as a file download, chunk by chunk, so
/// large ranges never sit in the portal's memory. ops-export.js adds a live record counter where script runs.
/// </summary>
public sealed partial class ExportModel(RecommendationServiceConnection service, TimeProvider clock, ILogger<ExportModel> logger) : OpsPage(service)
{
    [BindProperty(SupportsGet = true)]
    public LogFilterForm Filter { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public string Format { get; set; } = "csv";

    public List<string> FilterProblems { get; } = [];

    public bool Csv => Format != "jsonl";

    public void OnGet()
    {
        Filter.ToFilter(FilterProblems);
        if (FilterProblems.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        }
    }

    public async Task<IActionResult> OnGetDownloadAsync()
    {
        var filter = Filter.ToFilter(FilterProblems);
        if (FilterProblems.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }
        var aborted = HttpContext.RequestAborted;
        var request = new ExportEvaluationLogsRequest { Filter = filter, Format = Csv ? ExportFormat.Csv : ExportFormat.JsonLines };
        var calls = new List<AsyncServerStreamingCall<ExportEvaluationLogsResponse>>();
        try
        {
            // Every replica's first chunk decides between a download and a message on the page: nothing has been sent yet,
            // and a file missing a replica's records would be a silent gap.
            var started = await CallEachAsync(async replica =>
            {
                var call = replica.EvaluationLogs.ExportEvaluationLogs(request, cancellationToken: aborted);
                lock (calls)
                {
                    calls.Add(call);
                }
                return (Call: call, HasChunk: await call.ResponseStream.MoveNext(aborted));
            });
            if (started is null)
            {
                return Page();
            }
            if (UnreachableReplicas.Count > 0)
            {
                Fail("The export would miss the records of the replicas named below; try again once every replica answers.", StatusCodes.Status503ServiceUnavailable);
                return Page();
            }
            if (started.Any(s => !s.Value.HasChunk))
            {
                Fail("The service ended the export without sending anything.", StatusCodes.Status502BadGateway);
                return Page();
            }
            await StreamAsync([.. started.Select(s => s.Value.Call)], aborted);
        }
        finally
        {
            calls.ForEach(c => c.Dispose());
        }
        return new EmptyResult();
    }

    /// <summary>Each replica's records in turn as one file; a CSV keeps only the first replica's header line.</summary>
    private async Task StreamAsync(IReadOnlyList<AsyncServerStreamingCall<ExportEvaluationLogsResponse>> calls, CancellationToken aborted)
    {
        var fileName = string.Create(CultureInfo.InvariantCulture, $"evaluation-logs-{clock.GetUtcNow():yyyyMMdd-HHmmss}.{(Csv ? "csv" : "jsonl")}");
        Response.ContentType = Csv ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8";
        Response.Headers.ContentDisposition = new ContentDispositionHeaderValue("attachment") { FileNameStar = fileName, FileName = fileName }.ToString();
        Response.Headers.CacheControl = "no-store";
        long records = 0;
        try
        {
            for (var i = 0; i < calls.Count; i++)
            {
                var stream = calls[i].ResponseStream;
                var (first, before) = (true, records);
                do
                {
                    var chunk = stream.Current.Chunk;
                    if (first && i > 0 && Csv)
                    {
                        chunk = chunk[(chunk.IndexOf('\n', StringComparison.Ordinal) + 1)..];
                    }
                    first = false;
                    await Response.WriteAsync(Csv ? CsvFormulaGuard.Neutralise(chunk) : chunk, aborted);
                    await Response.Body.FlushAsync(aborted);
                    records = before + stream.Current.RecordsSoFar;
                }
                while (await stream.MoveNext(aborted));
            }
            LogExported(logger, records, User.Identity?.Name);
        }
        catch (RpcException ex) when (!aborted.IsCancellationRequested)
        {
            // Headers are gone: abort the connection so the browser marks the download failed instead of keeping a truncated file.
            LogExportFailed(logger, ex, records);
            HttpContext.Abort();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Exported {Records} evaluation log records for {User}")]
    private static partial void LogExported(ILogger logger, long records, string? user);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Evaluation log export failed after {Records} records")]
    private static partial void LogExportFailed(ILogger logger, Exception exception, long records);
}
