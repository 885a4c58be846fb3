using System.Globalization;
using System.Text;
using System.Text.Json;
using AlkPlatform.Contracts.Ops.V1;
using AlkPlatform.Guidelines.Storage;
using AlkPlatform.Recommendations.Authentication;
using AlkPlatform.Recommendations.Validation;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using BadRequest = Google.Rpc.BadRequest;

namespace AlkPlatform.Recommendations.EvaluationLogs;

/// <summary>The ops view of the evaluation log: query, read, aggregate, export, replay, and feedback summaries and Ask's abstentions.</summary>
[Authorize(Policy = CallerPolicies.EvaluationLogsRead)]
public sealed class EvaluationLogApi(EvaluationLogQueries queries, EvaluationReplayer replayer, SqliteDatabase database, GroupCommitLogWriter writer,
    AskAbstentionQueries abstentions)
    : EvaluationLogService.EvaluationLogServiceBase
{
    private const int ExportPageSize = 1000;

    public override Task<QueryEvaluationLogsResponse> QueryEvaluationLogs(QueryEvaluationLogsRequest request, ServerCallContext context)
    {
        List<BadRequest.Types.FieldViolation>? violations = null;
        OpsRequestRules.CheckFilter(ref violations, request.Filter);
        if (request.PageSize is < 0 or > EvaluationLogQueries.MaxPageSize)
        {
            FieldViolations.Add(ref violations, "page_size", $"must be between 1 and {EvaluationLogQueries.MaxPageSize} (0 means {EvaluationLogQueries.DefaultPageSize})");
        }
        if (!EvaluationLogQueries.TryParsePageToken(request.PageToken, out var after))
        {
            FieldViolations.Add(ref violations, "page_token", "is not one this service issued");
        }
        FieldViolations.ThrowIfAny(violations);
        var size = request.PageSize == 0 ? EvaluationLogQueries.DefaultPageSize : request.PageSize;
        // One extra row tells whether another page follows.
        var rows = queries.Page(request.Filter, after, size + 1);
        var response = new QueryEvaluationLogsResponse();
        for (var i = 0; i < rows.Count && i < size; i++)
        {
            response.Records.Add(rows[i].ToProto(includeInput: false));
        }
        if (rows.Count > size)
        {
            response.NextPageToken = EvaluationLogQueries.PageToken(rows[size - 1]);
        }
        return Task.FromResult(response);
    }

    public override Task<GetEvaluationLogResponse> GetEvaluationLog(GetEvaluationLogRequest request, ServerCallContext context)
    {
        CheckEvaluationId(request.EvaluationId);
        var row = queries.Find(request.EvaluationId)
            ?? throw new RpcException(new Status(StatusCode.NotFound, $"No evaluation '{request.EvaluationId}' is on record."));
        return Task.FromResult(new GetEvaluationLogResponse { Record = row.ToProto(includeInput: true) });
    }

    public override Task<GetAskAbstentionsResponse> GetAskAbstentions(GetAskAbstentionsRequest request, ServerCallContext context)
    {
        List<Google.Rpc.BadRequest.Types.FieldViolation>? violations = null;
        if (request.Top is < 0 or > 100)
        {
            FieldViolations.Add(ref violations, "top", "must be between 1 and 100 (0 means 20)");
        }
        if (request.Examples is < 0 or > 10)
        {
            FieldViolations.Add(ref violations, "examples", "must be between 1 and 10 (0 means 3)");
        }
        var fromMs = request.From?.ToDateTimeOffset().ToUnixTimeMilliseconds() ?? 0;
        var toMs = request.To?.ToDateTimeOffset().ToUnixTimeMilliseconds() ?? long.MaxValue;
        if (fromMs >= toMs)
        {
            FieldViolations.Add(ref violations, "to", "must be later than from");
        }
        FieldViolations.ThrowIfAny(violations);
        return Task.FromResult(abstentions.Summarize(fromMs, toMs, request.GuidelineId, request.Top == 0 ? 20 : request.Top, request.Examples == 0 ? 3 : request.Examples));
    }

    public override Task<GetEvaluationLogAggregatesResponse> GetEvaluationLogAggregates(GetEvaluationLogAggregatesRequest request, ServerCallContext context)
    {
        List<BadRequest.Types.FieldViolation>? violations = null;
        OpsRequestRules.CheckFilter(ref violations, request.Filter);
        if (request.Top is < 0 or > 100)
        {
            FieldViolations.Add(ref violations, "top", "must be between 1 and 100 (0 means 20)");
        }
        FieldViolations.ThrowIfAny(violations);
        var aggregates = queries.Aggregate(request.Filter, request.Top == 0 ? 20 : request.Top);
        foreach (var (caller, reason, count) in writer.Refusals.Snapshot())
        {
            aggregates.LogRefusals.Add(new LogRefusalCount { Caller = caller, Reason = LogRefusalCounter.ReasonName(reason), Count = count });
        }
        return Task.FromResult(aggregates);
    }

    public override async Task ExportEvaluationLogs(ExportEvaluationLogsRequest request, IServerStreamWriter<ExportEvaluationLogsResponse> responseStream, ServerCallContext context)
    {
        List<BadRequest.Types.FieldViolation>? violations = null;
        OpsRequestRules.CheckFilter(ref violations, request.Filter);
        OpsRequestRules.CheckDeclared(ref violations, request.Format, "format");
        FieldViolations.ThrowIfAny(violations);
        var csv = request.Format == ExportFormat.Csv;
        (long, long)? after = null;
        long exported = 0;
        var chunk = new StringBuilder();
        if (csv)
        {
            chunk.Append(CsvHeader).Append('\n');
        }
        while (!context.CancellationToken.IsCancellationRequested)
        {
            var rows = queries.Page(request.Filter, after, ExportPageSize, oldestFirst: true);
            foreach (var row in rows)
            {
                if (csv)
                {
                    AppendCsv(chunk, row);
                }
                else
                {
                    AppendJsonLine(chunk, row);
                }
            }
            exported += rows.Count;
            if (rows.Count > 0 || exported == 0)
            {
                await responseStream.WriteAsync(new ExportEvaluationLogsResponse { Chunk = chunk.ToString(), RecordsSoFar = exported }, context.CancellationToken).ConfigureAwait(false);
                chunk.Clear();
            }
            if (rows.Count < ExportPageSize)
            {
                break;
            }
            after = (rows[^1].OccurredAtMs, rows[^1].Seq);
        }
    }

    public override Task<ReplayEvaluationResponse> ReplayEvaluation(ReplayEvaluationRequest request, ServerCallContext context)
    {
        CheckEvaluationId(request.EvaluationId);
        return Task.FromResult(replayer.Replay(request.EvaluationId));
    }

    /// <summary>Ids are GUIDs; anything else is refused before a lookup, so a NotFound echoes only a bounded id.</summary>
    private static void CheckEvaluationId(string evaluationId)
    {
        if (!Guid.TryParse(evaluationId, out _))
        {
            throw FieldViolations.Invalid("evaluation_id", "must be an evaluation id (a GUID) the service returned");
        }
    }

    public override Task<GetFeedbackSummaryResponse> GetFeedbackSummary(GetFeedbackSummaryRequest request, ServerCallContext context)
    {
        List<BadRequest.Types.FieldViolation>? violations = null;
        OpsRequestRules.CheckTime(ref violations, request.From, "from");
        OpsRequestRules.CheckTime(ref violations, request.To, "to");
        FieldViolations.ThrowIfAny(violations);
        return Task.FromResult(CardFeedbackApi.Summarize(database, request));
    }

    public const string CsvHeader =
        "evaluation_id,occurred_at,method,caller,caller_name,claimed_caller,guideline_id,release_id,revision_number,content_hash,audience,status_code,latency_us,card_ids,severities,rules_fired,missing_facts,trace_id,masked_fields,input_json";

    private static void AppendCsv(StringBuilder csv, EvaluationLogRow row)
    {
        var cards = EvaluationLogRow.ParseCards(row.CardsJson);
        string[] fields =
        [
            row.EvaluationId,
            DateTimeOffset.FromUnixTimeMilliseconds(row.OccurredAtMs).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
            ((EvaluationMethod)row.Method).ToString(),
            row.Caller,
            row.CallerName,
            row.ClaimedCaller,
            row.GuidelineId,
            row.ReleaseId,
            row.RevisionNumber.ToString(CultureInfo.InvariantCulture),
            row.ContentHash,
            ((Contracts.Recommendation.V1.Audience)row.Audience).ToString(),
            row.StatusCode.ToString(CultureInfo.InvariantCulture),
            row.LatencyUs.ToString(CultureInfo.InvariantCulture),
            string.Join(' ', cards.Select(c => c.CardId)),
            string.Join(' ', cards.Select(c => c.Severity.ToString())),
            string.Join(' ', EvaluationLogRow.ParseStrings(row.RulesFired)),
            string.Join(' ', EvaluationLogRow.ParseStrings(row.MissingFacts)),
            row.TraceId,
            string.Join(' ', EvaluationLogRow.ParseStrings(row.MaskedFields)),
            row.InputJson,
        ];
        for (var i = 0; i < fields.Length; i++)
        {
            if (i > 0)
            {
                csv.Append(',');
            }
            CsvCells.Append(csv, fields[i]);
        }
        csv.Append('\n');
    }

    private static void AppendJsonLine(StringBuilder lines, EvaluationLogRow row)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("evaluation_id", row.EvaluationId);
            json.WriteString("occurred_at", DateTimeOffset.FromUnixTimeMilliseconds(row.OccurredAtMs));
            json.WriteString("method", ((EvaluationMethod)row.Method).ToString());
            json.WriteString("caller", row.Caller);
            json.WriteString("caller_name", row.CallerName);
            json.WriteString("claimed_caller", row.ClaimedCaller);
            json.WriteString("guideline_id", row.GuidelineId);
            json.WriteString("release_id", row.ReleaseId);
            json.WriteNumber("revision_number", row.RevisionNumber);
            json.WriteString("content_hash", row.ContentHash);
            json.WriteString("audience", ((Contracts.Recommendation.V1.Audience)row.Audience).ToString());
            json.WriteNumber("status_code", row.StatusCode);
            json.WriteString("status_message", row.StatusMessage);
            json.WriteNumber("latency_us", row.LatencyUs);
            json.WritePropertyName("input");
            json.WriteRawValue(row.InputJson, skipInputValidation: true);
            json.WritePropertyName("cards");
            json.WriteRawValue(row.CardsJson, skipInputValidation: true);
            json.WritePropertyName("rules_fired");
            json.WriteRawValue(row.RulesFired, skipInputValidation: true);
            json.WritePropertyName("missing_facts");
            json.WriteRawValue(row.MissingFacts, skipInputValidation: true);
            json.WriteString("trace_id", row.TraceId);
            json.WritePropertyName("masked_fields");
            json.WriteRawValue(row.MaskedFields, skipInputValidation: true);
            json.WriteEndObject();
        }
        lines.Append(Encoding.UTF8.GetString(buffer.WrittenSpan)).Append('\n');
    }
}
