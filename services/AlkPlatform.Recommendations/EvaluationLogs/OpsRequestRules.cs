using AlkPlatform.Contracts.Ops.V1;
using AlkPlatform.Recommendations.Validation;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Severity = AlkPlatform.Contracts.Recommendation.V1.Severity;

namespace AlkPlatform.Recommendations.EvaluationLogs;

/// <summary>
/// The ops API's checks on what a caller sends before any query runs: timestamps a <c>Timestamp</c> can hold (converting
/// any other throws) and declared enum values (an unknown severity would silently match another one's bit).
/// </summary>
public static class OpsRequestRules
{
    private const long MinSeconds = -62_135_596_800;
    private const long MaxSeconds = 253_402_300_799;

    public static void CheckFilter(ref List<BadRequest.Types.FieldViolation>? violations, EvaluationLogFilter? filter)
    {
        if (filter is null)
        {
            return;
        }
        CheckTime(ref violations, filter.From, "filter.from");
        CheckTime(ref violations, filter.To, "filter.to");
        CheckDeclared(ref violations, filter.Severity, "filter.severity");
        CheckDeclared(ref violations, filter.Method, "filter.method");
    }

    public static void CheckTime(ref List<BadRequest.Types.FieldViolation>? violations, Timestamp? time, string field)
    {
        if (time is not null && (time.Seconds is < MinSeconds or > MaxSeconds || time.Nanos is < 0 or > 999_999_999))
        {
            FieldViolations.Add(ref violations, field, "must be a valid timestamp: 0001-01-01 to 9999-12-31 UTC, nanos from 0 to 999,999,999");
        }
    }

    public static void CheckDeclared<T>(ref List<BadRequest.Types.FieldViolation>? violations, T value, string field) where T : struct, System.Enum
    {
        if (!System.Enum.IsDefined(value))
        {
            FieldViolations.Add(ref violations, field, $"unknown value {Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture)}");
        }
    }
}
