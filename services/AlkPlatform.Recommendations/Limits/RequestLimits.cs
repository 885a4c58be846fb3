using AlkPlatform.Recommendations.Authentication;
using AlkPlatform.Guidelines.Content;
using AlkPlatform.Recommendations.EvaluationLogs;
using AlkPlatform.Recommendations.Validation;
using Google.Rpc;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace AlkPlatform.Recommendations.Limits;

/// <summary>
/// The bounds every clinical call is checked against before anything reads its content: its headers, its guideline id
/// and its free text. A refusal names the field and its limit, never the value, which may be any size.
/// </summary>
public sealed class RequestLimits(IOptions<LimitsOptions> options)
{
    /// <summary>The defaults, for handlers constructed outside the service (benchmarks, unit tests).</summary>
    public static RequestLimits Defaults { get; } = new(Options.Create(new LimitsOptions()));

    /// <summary>
    /// The headers, then the guideline id (empty is allowed: it means the only guideline served). Called first in every
    /// handler, so an unbounded value never reaches a lookup.
    /// </summary>
    public void CheckCall(ref List<BadRequest.Types.FieldViolation>? violations, ServerCallContext? context, string guidelineId)
    {
        CheckHeaders(ref violations, context);
        if (guidelineId.Length > 0 && !GuidelineIds.IsValid(guidelineId))
        {
            FieldViolations.Add(ref violations, "guideline_id", GuidelineIds.Rule);
        }
    }

    /// <summary><c>x-client-app</c> printable ASCII within its limit; <c>traceparent</c> well-formed W3C.</summary>
    public void CheckHeaders(ref List<BadRequest.Types.FieldViolation>? violations, ServerCallContext? context)
    {
        // Handlers invoked directly (benchmarks) have no call and no headers.
        if (context is null)
        {
            return;
        }
        var headers = context.GetHttpContext().Request.Headers;
        var max = options.Value.MaxClientAppLength;
        foreach (var value in headers[ClaimedCallerLabel.Header])
        {
            if (value is not null && (value.Length > max || value.AsSpan().ContainsAnyExceptInRange(' ', '~')))
            {
                FieldViolations.Add(ref violations, ClaimedCallerLabel.Header, $"header must be at most {max} printable ASCII characters");
                break;
            }
        }
        var parents = headers[TraceParent.Header];
        if (parents.Count > 1 || (parents.Count == 1 && !TraceParent.IsValid(parents[0])))
        {
            FieldViolations.Add(ref violations, TraceParent.Header, "header must be one W3C Trace Context value: version-traceid-parentid-flags in lower-case hex");
        }
    }

    public void CheckQuestion(ref List<BadRequest.Types.FieldViolation>? violations, string question) =>
        CheckLength(ref violations, "question", question, options.Value.MaxQuestionLength);

    public void CheckCorrelationId(ref List<BadRequest.Types.FieldViolation>? violations, string correlationId) =>
        CheckLength(ref violations, "correlation_id", correlationId, options.Value.MaxCorrelationIdLength);

    private static void CheckLength(ref List<BadRequest.Types.FieldViolation>? violations, string field, string value, int max)
    {
        if (value.Length > max)
        {
            FieldViolations.Add(ref violations, field, $"must be at most {max} characters");
        }
    }
}
